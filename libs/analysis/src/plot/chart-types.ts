/** The input of the SVG chart writer (`renderChart`). */

/** A line through (x_i, y_i); a null or non-finite y (or x) breaks the line. */
export interface LineSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly (number | null)[];
  /** CSS colour; default the palette colour of the series' index. */
  readonly color?: string;
  /** Drawn thin and translucent, behind the other lines (e.g. each session behind a mean). */
  readonly faint?: boolean;
  readonly dashed?: boolean;
  /** Legend entry; series sharing it are toggled together. Default: `name`. */
  readonly legend?: string;
  /** A shaded band low_i..high_i around the line (same length as x). */
  readonly band?: { readonly low: readonly (number | null)[]; readonly high: readonly (number | null)[] };
}

/** Points (x_i, y_i), optionally coloured by c_i through the viridis scale. */
export interface ScatterSeries {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Colour values (same length as x); shown with a colour bar. */
  readonly c?: readonly number[];
  readonly color?: string;
  readonly legend?: string;
}

/** A horizontal reference line, e.g. the env's target return. */
export interface ReferenceLine {
  readonly y: number;
  readonly label: string;
}

export interface ChartSpec {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  /** Pixel size; default 640 x 400. */
  readonly width?: number;
  readonly height?: number;
  /** Logarithmic x axis (points with x <= 0 are left out). */
  readonly logX?: boolean;
  /** Categorical x axis: x values are indices into these labels. */
  readonly xCategories?: readonly string[];
  readonly lines?: readonly LineSeries[];
  readonly scatter?: readonly ScatterSeries[];
  readonly reference?: ReferenceLine;
  /** Title of the colour bar, drawn when a scatter series has colour values. */
  readonly colorLabel?: string;
  /** Show the legend (default: when there is more than one legend entry, or any named band). */
  readonly legend?: boolean;
}

// The two blessed-contrib widgets the gauges view uses (the package ships no types).
declare module 'blessed-contrib' {
  import type { Widgets } from 'blessed';
  interface GaugeOptions extends Widgets.BoxOptions {
    stroke?: string;
    fill?: string;
    percent?: number;
    showLabel?: boolean;
  }
  interface SparklineOptions extends Widgets.BoxOptions {
    style?: Widgets.BoxOptions['style'] & { titleFg?: string };
  }
  interface Gauge extends Widgets.BoxElement {
    setPercent(percent: number): void;
  }
  interface Sparkline extends Widgets.BoxElement {
    setData(titles: string[], datasets: number[][]): void;
  }
  const contrib: {
    gauge(options: GaugeOptions): Gauge;
    sparkline(options: SparklineOptions): Sparkline;
  };
  export default contrib;
}

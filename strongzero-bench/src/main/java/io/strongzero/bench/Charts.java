package io.strongzero.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import javax.imageio.ImageIO;

/**
 * PNG charts of a run (headless java.awt, no dependency): latency percentiles, throughput, fan-out; and, in a
 * second image, latency against offered rate (the sweep).
 */
final class Charts {

    private static final Color[] PERCENTILE_COLORS = {
        new Color(0x9ecae1), new Color(0x6baed6), new Color(0x3182bd), new Color(0x08519c), new Color(0xde2d26)};
    private static final Color RAW = new Color(0xa0a0a0);
    private static final Color E2E = new Color(0x3182bd);
    private static final Color TARGET = new Color(0xd95f02);
    private static final String[] RATES = {"100_per_s", "1000_per_s", "sparse_200ms"};
    private static final String[] RATE_LABELS = {"100 msg/s", "1,000 msg/s", "1 per 200 ms"};

    private Charts() {
    }

    /** Renders the three panels of one run's result into {@code png}. */
    static void render(JsonNode r, Path png) throws IOException {
        JsonNode env = r.path("environment");
        int h = 620;
        write(png, 1800, h, String.format("StrongZero benchmark: %s, %s profile, %s", r.path("db").asText(),
                r.path("profile").asText(), env.path("date").asText()),
                String.format("%d CPUs (%s), %s RAM, %s; %s", env.path("cpus").asInt(), env.path("cpu_model").asText(),
                        env.path("memory").asText(), env.path("java").asText(), env.path("db_version").asText()), g -> {
                    latencyPanel(g, r, new Rectangle(0, 60, 720, h - 60));
                    throughputPanel(g, r, new Rectangle(720, 60, 520, h - 60));
                    fanoutPanel(g, r, new Rectangle(1240, 60, 560, h - 60));
                });
    }

    /**
     * Renders the latency sweep ({@code latency_sweep}) into {@code png}: p50 and p99 from the scheduled send time and
     * commit -> handler p50 and p99 against the offered rate, both axes logarithmic, the saturated step ringed.
     */
    static void renderSweep(JsonNode r, Path png) throws IOException {
        JsonNode env = r.path("environment");
        int w = 1000;
        int h = 620;
        write(png, w, h, String.format("StrongZero latency against offered rate: %s, %s profile, %s", r.path("db").asText(),
                r.path("profile").asText(), env.path("date").asText()),
                String.format(Locale.ROOT, "1 message per transaction, %d sender threads, %s s per rate; %d CPUs (%s), %s",
                        BenchRun.RATE_THREADS, r.path("latency_sweep").path("step_seconds").asText(), env.path("cpus").asInt(),
                        env.path("cpu_model").asText(), env.path("db_version").asText()),
                g -> sweepPanel(g, r.path("latency_sweep"), new Rectangle(0, 60, w, h - 60)));
    }

    /** A {@code w} x {@code h} white PNG with a bold title and a plain subtitle, the rest drawn by {@code panels}. */
    private static void write(Path png, int w, int h, String title, String subtitle, Consumer<Graphics2D> panels)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            g.drawString(title, 20, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(subtitle, 20, 48);
            panels.accept(g);
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void sweepPanel(Graphics2D g, JsonNode sweep, Rectangle area) {
        String[] keys = {"p50", "p99", "commit_to_handler_p50", "commit_to_handler_p99"};
        String[] names = {"p50 from schedule", "p99 from schedule", "commit -> handler p50", "commit -> handler p99"};
        Color[] colors = {PERCENTILE_COLORS[2], PERCENTILE_COLORS[4], PERCENTILE_COLORS[1], new Color(0xfc9272)};
        JsonNode steps = sweep.path("steps");
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("Latency, ms (log scale) against offered rate, msg/s (log scale)", area.x + 20, area.y + 20);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        int left = area.x + 70;
        int right = area.x + area.width - 40;
        int top = area.y + 40;
        int bottom = area.y + area.height - 80;
        double minY = Double.MAX_VALUE;
        double maxY = 0;
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        for (JsonNode s : steps) {
            minX = Math.min(minX, s.path("offered_per_s").asDouble());
            maxX = Math.max(maxX, s.path("offered_per_s").asDouble());
            for (String k : keys) {
                double v = s.path(k).asDouble();
                if (v > 0) {
                    minY = Math.min(minY, v);
                    maxY = Math.max(maxY, v);
                }
            }
        }
        if (maxY <= 0 || maxX <= 0) {
            g.drawString("(not measured)", left, (top + bottom) / 2);
            return;
        }
        Scale y = new Scale(Math.pow(10, Math.floor(Math.log10(Math.max(0.01, minY)))),
                Math.pow(10, Math.ceil(Math.log10(maxY * 1.5))), bottom, top, true);
        Scale x = new Scale(minX / 1.3, Math.max(maxX, minX * 2) * 1.3, left, right, true);
        g.setStroke(new BasicStroke(1));
        for (double tick : y.ticks()) {
            int py = y.map(tick);
            g.setColor(new Color(0xe8e8e8));
            g.drawLine(left, py, right, py);
            g.setColor(Color.DARK_GRAY);
            String label = format(tick);
            g.drawString(label, left - 6 - fm.stringWidth(label), py + 4);
        }
        for (JsonNode s : steps) {
            double offered = s.path("offered_per_s").asDouble();
            int px = x.map(offered);
            g.setColor(new Color(0xe8e8e8));
            g.drawLine(px, top, px, bottom);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%,.0f", offered);
            g.drawString(label, px - fm.stringWidth(label) / 2, bottom + 16);
            String achieved = String.format(Locale.ROOT, "(%,.0f)", s.path("achieved_per_s").asDouble());
            g.drawString(achieved, px - fm.stringWidth(achieved) / 2, bottom + 30);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        g.drawString("offered msg/s (achieved)", right - fm.stringWidth("offered msg/s (achieved)"), bottom + 46);
        for (int k = 0; k < keys.length; k++) {
            g.setColor(colors[k]);
            g.setStroke(k < 2 ? new BasicStroke(2.5f)
                    : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            int lastX = -1;
            int lastY = -1;
            for (JsonNode s : steps) {
                double v = s.path(keys[k]).asDouble();
                if (v <= 0) {
                    lastX = -1;
                    continue;
                }
                int px = x.map(s.path("offered_per_s").asDouble());
                int py = y.map(v);
                if (lastX >= 0) {
                    g.drawLine(lastX, lastY, px, py);
                }
                g.fillOval(px - 3, py - 3, 7, 7);
                if (k < 2) {
                    String label = format(v);
                    g.drawString(label, px + 6, py - 5);
                }
                lastX = px;
                lastY = py;
            }
        }
        g.setStroke(new BasicStroke(1.5f));
        for (JsonNode s : steps) {
            if (s.has("saturated")) {
                int px = x.map(s.path("offered_per_s").asDouble());
                int py = y.map(Math.max(s.path("p99").asDouble(), y.lo()));
                g.setColor(TARGET);
                g.drawOval(px - 9, py - 9, 18, 18);
                String label = "saturated: " + s.path("saturated").asText();
                g.drawString(label, Math.max(left + 4, Math.min(px - fm.stringWidth(label) / 2, right - fm.stringWidth(label))),
                        top + 12);
            }
        }
        int lx = left;
        int ly = bottom + 66;
        for (int k = 0; k < keys.length; k++) {
            g.setColor(colors[k]);
            g.fillRect(lx, ly - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(names[k], lx + 16, ly);
            lx += 30 + fm.stringWidth(names[k]);
        }
    }

    private static void latencyPanel(Graphics2D g, JsonNode r, Rectangle area) {
        JsonNode lat = r.path("latency_ms");
        List<String> groups = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int i = 0; i < RATES.length; i++) {
            JsonNode s = lat.path(RATES[i]);
            if (s.isMissingNode()) {
                continue;
            }
            groups.add(RATE_LABELS[i]);
            values.add(new double[] {s.path("p50").asDouble(), s.path("p90").asDouble(), s.path("p99").asDouble(),
                s.path("p99_9").asDouble(), s.path("max").asDouble()});
        }
        double[] targets = Targets.latency(r.path("db").asText());
        List<Double> refs = new ArrayList<>();
        List<String> refLabels = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] > 0) {
                refs.add(targets[i]);
                refLabels.add((i == 0 ? "p50" : "p99") + " target " + (int) targets[i] + " ms");
            }
        }
        bars(g, area, "Latency commit -> handler start, ms (scheduled send time, log scale)", groups,
                new String[] {"p50", "p90", "p99", "p99.9", "max"}, PERCENTILE_COLORS, values, true,
                refs.stream().mapToDouble(Double::doubleValue).toArray(), refLabels.toArray(new String[0]));
    }

    private static void throughputPanel(Graphics2D g, JsonNode r, Rectangle area) {
        List<String> groups = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (String key : new String[] {"tx1", "tx100"}) {
            if (!r.has("raw_" + key + "_msgs_per_s")) {
                continue;
            }
            double raw = r.path("raw_" + key + "_msgs_per_s").asDouble();
            double e2e = r.path("e2e_" + key + "_msgs_per_s").asDouble();
            groups.add(String.format(Locale.ROOT, "%s msg/tx: %.2fx (target %sx)", key.substring(2), e2e / raw,
                    Targets.ratio(r.path("db").asText(), key)));
            values.add(new double[] {raw, e2e});
        }
        bars(g, area, "Throughput, messages/s, " + BenchRun.WRITERS + " writers", groups,
                new String[] {"raw inserts (no StrongZero)", "StrongZero end to end"}, new Color[] {RAW, E2E}, values, false,
                new double[0], new String[0]);
    }

    private static void fanoutPanel(Graphics2D g, JsonNode r, Rectangle area) {
        List<String> groups = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (JsonNode f : r.path("fanout")) {
            groups.add(String.format(Locale.ROOT, "%d (producer %.2f cores)", f.path("consumers").asInt(),
                    f.path("producer_cpu_cores").asDouble()));
            values.add(new double[] {f.path("aggregate_msgs_per_s").asDouble()});
        }
        List<Double> refs = new ArrayList<>();
        List<String> refLabels = new ArrayList<>();
        if (r.has("catchup_msgs_per_s")) {
            refs.add(r.path("catchup_msgs_per_s").asDouble());
            refLabels.add(String.format(Locale.ROOT, "catch-up, 1 consumer at -Xmx64m: %,.0f msg/s", r.path("catchup_msgs_per_s").asDouble()));
        }
        bars(g, area, "Fan-out: aggregate messages/s by number of consumers", groups, new String[] {"aggregate delivered and committed"},
                new Color[] {E2E}, values, false, refs.stream().mapToDouble(Double::doubleValue).toArray(),
                refLabels.toArray(new String[0]));
    }

    /** A grouped bar chart with value labels, optional log scale and dashed reference lines. */
    static void bars(Graphics2D g, Rectangle area, String title, List<String> groups, String[] series, Color[] colors,
                     List<double[]> values, boolean log, double[] refs, String[] refLabels) {
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, area.x + 20, area.y + 20);
        int left = area.x + 70;
        int right = area.x + area.width - 20;
        int top = area.y + 40;
        int bottom = area.y + area.height - 70;
        double max = 0;
        double minPositive = Double.MAX_VALUE;
        for (double[] v : values) {
            for (double x : v) {
                max = Math.max(max, x);
                if (x > 0) {
                    minPositive = Math.min(minPositive, x);
                }
            }
        }
        for (double ref : refs) {
            max = Math.max(max, ref);
            minPositive = Math.min(minPositive, ref);
        }
        if (max <= 0) {
            g.setFont(small);
            g.drawString("(not measured)", left, (top + bottom) / 2);
            return;
        }
        double lo;
        double hi;
        if (log) {
            lo = Math.pow(10, Math.floor(Math.log10(Math.max(0.01, minPositive))));
            hi = Math.pow(10, Math.ceil(Math.log10(max * 1.5)));
        } else {
            lo = 0;
            hi = niceCeil(max * 1.15);
        }
        Scale y = new Scale(lo, hi, bottom, top, log);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1));
        for (double tick : y.ticks()) {
            int py = y.map(tick);
            g.setColor(new Color(0xe8e8e8));
            g.drawLine(left, py, right, py);
            g.setColor(Color.DARK_GRAY);
            String label = format(tick);
            g.drawString(label, left - 6 - fm.stringWidth(label), py + 4);
        }
        g.setColor(Color.BLACK);
        g.drawLine(left, top, left, bottom);
        g.drawLine(left, bottom, right, bottom);
        int n = Math.max(1, groups.size());
        double groupWidth = (right - left) / (double) n;
        double barWidth = groupWidth * 0.8 / series.length;
        for (int gi = 0; gi < groups.size(); gi++) {
            double gx = left + gi * groupWidth + groupWidth * 0.1;
            double[] v = values.get(gi);
            for (int si = 0; si < v.length; si++) {
                int x = (int) Math.round(gx + si * barWidth);
                int bw = (int) Math.max(1, Math.round(barWidth) - 2);
                int py = y.map(Math.max(v[si], lo));
                g.setColor(colors[si % colors.length]);
                g.fillRect(x, py, bw, bottom - py);
                g.setColor(Color.BLACK);
                String label = format(v[si]);
                int tw = fm.stringWidth(label);
                if (tw <= bw + 4) {
                    g.drawString(label, x + (bw - tw) / 2, py - 4);
                } else {
                    AffineTransform saved = g.getTransform();
                    g.rotate(-Math.PI / 2, x + bw / 2.0 + 4, py - 4);
                    g.drawString(label, x + bw / 2 + 4, py - 4);
                    g.setTransform(saved);
                }
            }
            g.setColor(Color.BLACK);
            String label = groups.get(gi);
            g.drawString(label, (int) (left + gi * groupWidth + (groupWidth - fm.stringWidth(label)) / 2), bottom + 16);
        }
        BasicStroke dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);
        for (int i = 0; i < refs.length; i++) {
            int py = y.map(refs[i]);
            g.setColor(TARGET);
            g.setStroke(dashed);
            g.drawLine(left, py, right, py);
            g.setStroke(new BasicStroke(1));
            int tw = fm.stringWidth(refLabels[i]);
            g.setColor(Color.WHITE);
            g.fillRect(right - tw - 8, py - 16, tw + 8, 13);
            g.setColor(TARGET);
            g.drawString(refLabels[i], right - tw - 4, py - 5);
        }
        int lx = left;
        int ly = bottom + 40;
        for (int si = 0; si < series.length; si++) {
            g.setColor(colors[si % colors.length]);
            g.fillRect(lx, ly - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(series[si], lx + 16, ly);
            lx += 30 + fm.stringWidth(series[si]);
        }
    }

    private static String format(double v) {
        if (v == 0) {
            return "0";
        }
        if (v >= 10_000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (v >= 0.1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }

    private static double niceCeil(double v) {
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** Value to pixel, linear or logarithmic. */
    private record Scale(double lo, double hi, int pixelLo, int pixelHi, boolean log) {
        int map(double v) {
            double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
            return (int) Math.round(pixelLo + f * (pixelHi - pixelLo));
        }

        List<Double> ticks() {
            List<Double> t = new ArrayList<>();
            if (log) {
                for (double d = lo; d <= hi * 1.0001; d *= 10) {
                    t.add(d);
                    if (d * 3 < hi) {
                        t.add(d * 3);
                    }
                }
            } else {
                double step = hi / 5;
                for (int i = 0; i <= 5; i++) {
                    t.add(i * step);
                }
            }
            return t;
        }
    }
}

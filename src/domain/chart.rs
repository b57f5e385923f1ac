//! The attendance chart of the yearly report: a PNG ready for the general
//! assembly's slides. Pure: the caller loads the data and translates every
//! word; this module only draws. Text uses a font embedded in the binary, so
//! the chart looks the same on a server without any system font.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters::coord::Shift;
use plotters::prelude::*;

use super::export::MonthRow;
use super::format::number;
use super::Lang;

/// Words on the chart, translated by the caller.
pub struct ChartLabels {
    pub title: String,
    /// Legend of the seats-taken bars.
    pub going: String,
    /// Legend of the check-in bars.
    pub checked_in: String,
    /// Short month names, January first (e.g. "janv.", "févr.").
    pub month_initials: [String; 12],
    /// The reader's language: how the values are written ("5 182", "5,182").
    pub lang: Lang,
}

/// 16:9, the shape of a slide.
pub const WIDTH: u32 = 1280;
pub const HEIGHT: u32 = 720;

/// DejaVu Sans (assets/LICENSE-DejaVu.txt): Latin with every French accent.
const FONT: &[u8] = include_bytes!("../../assets/DejaVuSans.ttf");

const BACKGROUND: RGBColor = WHITE;
const INK: RGBColor = RGBColor(40, 40, 40);
// Okabe–Ito blue and orange: told apart with any colour vision, and in grey.
const GOING_COLOR: RGBColor = RGBColor(0, 114, 178);
const CHECKED_IN_COLOR: RGBColor = RGBColor(230, 159, 0);
const COLORS: [RGBColor; 2] = [GOING_COLOR, CHECKED_IN_COLOR];

// Plot area: bars grow up from BASELINE to at most PLOT_TOP.
const PLOT_LEFT: i32 = 40;
const PLOT_RIGHT: i32 = WIDTH as i32 - 40;
const PLOT_TOP: i32 = 175;
const BASELINE: i32 = 640;
const BAR_WIDTH: i32 = 38;
const BAR_GAP: i32 = 6;

/// Left and right (exclusive) x of one month's bar: `month` 0 to 11,
/// series 0 for going and 1 for checked in.
fn bar_span(month: usize, series: usize) -> (i32, i32) {
    let group = (PLOT_RIGHT - PLOT_LEFT) / 12;
    let first = PLOT_LEFT + group * month as i32 + (group - 2 * BAR_WIDTH - BAR_GAP) / 2;
    let left = first + series as i32 * (BAR_WIDTH + BAR_GAP);
    (left, left + BAR_WIDTH)
}

/// A 1280×720 PNG: per month, a bar of seats taken and beside it a bar of
/// check-ins, each with its value above it, month names below, the title on
/// top and a legend. Months missing from `months` are drawn as zero; a year
/// of zeros gives flat bars on the zero axis.
pub fn attendance_chart(months: &[MonthRow], labels: &ChartLabels) -> anyhow::Result<Vec<u8>> {
    let values: Vec<[i64; 2]> = (1..=12)
        .map(|m| {
            let row = months.iter().find(|r| r.month == m);
            row.map_or([0, 0], |r| [r.going.max(0), r.checked_in.max(0)])
        })
        .collect();
    // Bars are scaled to the largest value; with nothing to show every bar
    // has height zero instead of dividing by zero.
    let max = values.iter().flatten().copied().max().unwrap_or(0);
    let height_of = |v: i64| match max {
        0 => 0,
        _ => ((v as f64 / max as f64) * f64::from(BASELINE - PLOT_TOP)).round() as i32,
    };

    let mut rgb = vec![0u8; WIDTH as usize * HEIGHT as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&BACKGROUND)?;
        let font = FontRef::try_from_slice(FONT)?;
        let canvas = Canvas { root, font };
        canvas.text(&labels.title, 40.0, (WIDTH as i32 / 2, 57), WIDTH as i32 - 80)?;

        // The legend, centred under the title: a swatch, then its words.
        const SWATCH: i32 = 22;
        let legend = [&labels.going, &labels.checked_in].map(|words| (words, canvas.text_width(24.0, words)));
        let mut x = WIDTH as i32 / 2 - (legend.iter().map(|l| l.1).sum::<i32>() + 2 * SWATCH + 68) / 2;
        for ((words, width), color) in legend.into_iter().zip(COLORS) {
            canvas.rect((x, 99), (x + SWATCH, 99 + SWATCH), color)?;
            canvas.text(words, 24.0, (x + SWATCH + 10 + width / 2, 118), width)?;
            x += SWATCH + 10 + width + 48;
        }

        for (month, pair) in values.iter().enumerate() {
            for (series, (&value, color)) in pair.iter().zip(COLORS).enumerate() {
                let (left, right) = bar_span(month, series);
                let top = BASELINE - height_of(value);
                canvas.rect((left, top), (right, BASELINE), color)?;
                let at = ((left + right) / 2, top - 8);
                canvas.text(&number(value, labels.lang), 20.0, at, BAR_WIDTH + BAR_GAP - 2)?;
            }
            let (left, right) = (bar_span(month, 0).0, bar_span(month, 1).1);
            let at = ((left + right) / 2, BASELINE + 31);
            canvas.text(&labels.month_initials[month], 22.0, at, right - left + 8)?;
        }
        // The zero axis, drawn last so that it stays visible under every bar.
        canvas.rect((PLOT_LEFT, BASELINE), (PLOT_RIGHT, BASELINE + 2), INK)?;
        canvas.root.present()?;
    }
    encode_png(&rgb)
}

/// The image being drawn, and the font to write on it.
struct Canvas<'a> {
    root: DrawingArea<BitMapBackend<'a>, Shift>,
    font: FontRef<'static>,
}

impl Canvas<'_> {
    /// A filled rectangle; `bottom_right` is just outside it.
    fn rect(&self, top_left: (i32, i32), bottom_right: (i32, i32), color: RGBColor) -> anyhow::Result<()> {
        Ok(self
            .root
            .draw(&Rectangle::new([top_left, bottom_right], color.filled()))?)
    }

    /// Width in whole pixels of one line of text, kerning included.
    fn text_width(&self, size: f32, text: &str) -> i32 {
        let font = self.font.as_scaled(PxScale::from(size));
        let mut previous = None;
        let mut width = 0.0;
        for id in text.chars().map(|c| font.glyph_id(c)) {
            width += previous.map_or(0.0, |p| font.kern(p, id)) + font.h_advance(id);
            previous = Some(id);
        }
        width.ceil() as i32
    }

    /// One line of text in INK, centred on `x` and sitting on `baseline`, at
    /// `size` or smaller to fit in `room` pixels: shrinking beats overlapping.
    /// (plotters' own ab_glyph text drops each glyph's side bearing, breaking
    /// words apart as in "jan v.", so this places the glyphs itself.)
    fn text(&self, text: &str, size: f32, (x, baseline): (i32, i32), room: i32) -> anyhow::Result<()> {
        let size = size.min(size * room as f32 / self.text_width(size, text).max(1) as f32);
        let font = self.font.as_scaled(PxScale::from(size));
        let mut caret = (x - self.text_width(size, text) / 2) as f32;
        let mut previous = None;
        for id in text.chars().map(|c| font.glyph_id(c)) {
            caret += previous.map_or(0.0, |p| font.kern(p, id));
            previous = Some(id);
            let glyph = id.with_scale_and_position(size, point(caret, baseline as f32));
            if let Some(outline) = self.font.outline_glyph(glyph) {
                let (min, mut pixels) = (outline.px_bounds().min, Vec::new());
                outline.draw(|gx, gy, coverage| pixels.push((gx, gy, coverage)));
                for (gx, gy, coverage) in pixels.into_iter().filter(|p| p.2 > 0.0) {
                    let at = (min.x as i32 + gx as i32, min.y as i32 + gy as i32);
                    self.root.draw_pixel(at, &INK.mix(f64::from(coverage.min(1.0))))?;
                }
            }
            caret += font.h_advance(id);
        }
        Ok(())
    }
}

fn encode_png(rgb: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(png)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FRENCH_MONTHS: [&str; 12] = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ];

    fn labels() -> ChartLabels {
        ChartLabels {
            title: "Fréquentation 2025 — événements".to_owned(),
            going: "Places réservées".to_owned(),
            checked_in: "Présences pointées".to_owned(),
            month_initials: FRENCH_MONTHS.map(str::to_owned),
            lang: Lang::Fr,
        }
    }

    /// A year with attendance in the given months only: (month, going, checked in).
    fn year(values: &[(u32, i64, i64)]) -> Vec<MonthRow> {
        let row = |&(month, going, checked_in)| MonthRow {
            month,
            events: 1,
            going,
            checked_in,
        };
        values.iter().map(row).collect()
    }

    /// Decodes the PNG into its size and RGB pixels.
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().unwrap();
        let mut rgb = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut rgb).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        (info.width, info.height, rgb)
    }

    fn pixel(rgb: &[u8], x: i32, y: i32) -> RGBColor {
        let i = (y as usize * WIDTH as usize + x as usize) * 3;
        RGBColor(rgb[i], rgb[i + 1], rgb[i + 2])
    }

    /// Pixels of the given colour in the plot area above the bar's slot.
    fn bar_height(rgb: &[u8], month: usize, series: usize) -> usize {
        let ((left, right), color) = (bar_span(month, series), COLORS[series]);
        (PLOT_TOP..BASELINE)
            .filter(|&y| pixel(rgb, (left + right) / 2, y) == color)
            .count()
    }

    /// Pixels that are not background in a month's slot, bars and values.
    fn ink_in_slot(rgb: &[u8], month: usize, series: usize) -> usize {
        let (left, right) = bar_span(month, series);
        let slot = (PLOT_TOP - 30..BASELINE).flat_map(|y| (left..right).map(move |x| (x, y)));
        slot.filter(|&(x, y)| pixel(rgb, x, y) != BACKGROUND).count()
    }

    #[test]
    fn is_a_1280_by_720_png() {
        let png = attendance_chart(&year(&[(3, 42, 30), (10, 18, 12)]), &labels()).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        let (width, height, _) = decode(&png);
        assert_eq!((width, height), (1280, 720));
    }

    #[test]
    fn a_year_without_attendance_draws_flat_bars_on_the_zero_axis() {
        let all_zero: Vec<_> = (1..=12).map(|month| (month, 0, 0)).collect();
        for months in [year(&all_zero), Vec::new()] {
            let (_, _, rgb) = decode(&attendance_chart(&months, &labels()).unwrap());
            for month in 0..12 {
                assert_eq!(bar_height(&rgb, month, 0), 0);
                assert_eq!(bar_height(&rgb, month, 1), 0);
                // The "0" above the axis is still written.
                assert!(ink_in_slot(&rgb, month, 0) > 20);
            }
            let (x, _) = bar_span(5, 0);
            assert_eq!(pixel(&rgb, x, BASELINE), INK);
        }
    }

    #[test]
    fn fifty_seats_in_march_make_a_visibly_taller_bar_than_none() {
        let empty = decode(&attendance_chart(&year(&[(6, 80, 60)]), &labels()).unwrap()).2;
        let fifty = decode(&attendance_chart(&year(&[(3, 50, 0), (6, 80, 60)]), &labels()).unwrap()).2;
        assert!(ink_in_slot(&fifty, 2, 0) > 10 * ink_in_slot(&empty, 2, 0));
        assert!(bar_height(&fifty, 2, 0) > 200);
        assert_eq!(bar_height(&empty, 2, 0), 0);
    }

    #[test]
    fn bars_are_proportional_to_their_values() {
        let png = attendance_chart(&year(&[(3, 50, 25), (6, 100, 75)]), &labels()).unwrap();
        let (_, _, rgb) = decode(&png);
        let full = (BASELINE - PLOT_TOP) as f64;
        let height = |month, series| bar_height(&rgb, month, series) as f64;
        assert_eq!(height(5, 0), full);
        assert!((height(2, 0) - full * 0.5).abs() <= 1.0);
        assert!((height(2, 1) - full * 0.25).abs() <= 1.0);
        assert!((height(5, 1) - full * 0.75).abs() <= 1.0);
    }

    #[test]
    fn accented_french_words_render_with_real_glyphs() {
        let labels = labels();
        let months = year(&[(2, 12_345, 9_876), (8, 1, 0), (12, 300, 280)]);
        let (_, _, rgb) = decode(&attendance_chart(&months, &labels).unwrap());
        assert!((20..70).any(|y| (0..WIDTH as i32).any(|x| pixel(&rgb, x, y) != BACKGROUND)));
        // No letter falls back to the font's empty box (glyph 0).
        let font = FontRef::try_from_slice(FONT).unwrap();
        let words = [&labels.title, &labels.going, &labels.checked_in].into_iter();
        for c in words.chain(&labels.month_initials).flat_map(|w| w.chars()) {
            assert_ne!(font.glyph_id(c).0, 0, "no glyph for {c:?}");
        }
        // French values are grouped with a narrow no-break space: it has a glyph too.
        assert_ne!(
            font.glyph_id('\u{202f}').0,
            0,
            "no glyph for the French thousands separator"
        );
    }
}

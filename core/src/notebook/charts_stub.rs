//! Temporary stand-ins for `crate::charts` (written in parallel), with its exact signatures.
//! Each returns a placeholder `<svg>` naming the chart. The team lead deletes this file and
//! points `notebook::charts` at `crate::charts` when merging.
#![allow(dead_code)]

use crate::classify::Light;
use crate::indicators::definition::{Dimension, Shift};

pub struct Bar {
    pub label: String,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub light: Option<Light>,
}

pub struct SeriesPoint {
    pub period: String,
    pub value: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

pub struct Series {
    pub label: String,
    pub points: Vec<SeriesPoint>,
    pub highlight: bool,
}

pub struct FunnelPoint {
    pub label: String,
    pub denominator: f64,
    pub value: f64,
    pub light: Option<Light>,
    pub highlight: bool,
}

pub struct FunnelLimit {
    pub denominator: f64,
    pub lower_95: f64,
    pub upper_95: f64,
    pub lower_998: f64,
    pub upper_998: f64,
}

pub struct MatrixCell {
    pub light: Light,
    pub text: String,
}

fn placeholder(kind: &str, title: &str, n: usize) -> String {
    let esc = title
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<svg width=\"600\" height=\"60\" role=\"img\"><text x=\"8\" y=\"34\" font-size=\"14\">[{kind}: {esc} ({n})]</text></svg>"
    )
}

pub fn bar_chart(
    title: &str,
    _unit: &str,
    bars: &[Bar],
    _benchmark: Option<(&str, f64)>,
) -> String {
    placeholder("stapeldiagram", title, bars.len())
}

pub fn trend_chart(title: &str, _unit: &str, series: &[Series]) -> String {
    placeholder("trenddiagram", title, series.len())
}

pub fn funnel_chart(
    title: &str,
    _unit: &str,
    points: &[FunnelPoint],
    _limits: &[FunnelLimit],
    _baseline: f64,
) -> String {
    placeholder("trattdiagram", title, points.len())
}

pub fn light_matrix(
    title: &str,
    units: &[String],
    _indicators: &[String],
    _cells: &[Vec<Option<MatrixCell>>],
) -> String {
    placeholder("ljusmatris", title, units.len())
}

pub fn framework_matrix(title: &str, cells: &[(Shift, Dimension, Vec<String>)]) -> String {
    placeholder("ramverk", title, cells.len())
}

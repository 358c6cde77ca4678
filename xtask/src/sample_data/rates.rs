//! What happens to people: event types, their yearly rates by age and sex, causes, lengths of
//! stay and channels. Invented numbers shaped after Swedish levels (see each table).

use super::county::{Deso, BANDS, BAND_65, BAND_80};
use super::random::Rng;

// Event rates are per person-year, for women; men get a factor per event type.

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum EventType {
    FallInjury,
    Admission,
    AvoidableAdmission,
    HomeVisit,
    CareRequest,
}

pub const EVENT_TYPES: [EventType; 5] = [
    EventType::FallInjury,
    EventType::Admission,
    EventType::AvoidableAdmission,
    EventType::HomeVisit,
    EventType::CareRequest,
];

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::FallInjury => "fall_injury",
            EventType::Admission => "admission",
            EventType::AvoidableAdmission => "avoidable_admission",
            EventType::HomeVisit => "home_visit",
            EventType::CareRequest => "assessed_within_3_days",
        }
    }

    /// Yearly events per woman in each band (invented, shaped after Swedish levels: fall
    /// injuries 2–3 % a year among 65+, about 10 % admitted a year, several care requests a
    /// year among the old).
    pub fn rate(self, band: usize) -> f64 {
        const FALL: [f64; BANDS] = [
            0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.002, 0.003, 0.003,
            0.004, 0.008, 0.012, 0.020, 0.035, 0.060, 0.090,
        ];
        const ADMISSION: [f64; BANDS] = [
            0.11, 0.035, 0.03, 0.05, 0.06, 0.07, 0.075, 0.065, 0.06, 0.065, 0.075, 0.085, 0.10,
            0.13, 0.16, 0.21, 0.27, 0.33, 0.38,
        ];
        const AVOIDABLE: [f64; BANDS] = [
            0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.008, 0.013, 0.022,
            0.036, 0.055, 0.070,
        ];
        const HOME_VISIT: [f64; BANDS] = [
            0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.001, 0.002, 0.002, 0.003,
            0.005, 0.010, 0.025, 0.070, 0.200, 0.500, 1.000,
        ];
        const CARE_REQUEST: [f64; BANDS] = [
            2.2, 1.1, 0.8, 0.9, 1.0, 1.1, 1.2, 1.2, 1.2, 1.2, 1.3, 1.4, 1.6, 1.9, 2.3, 2.8, 3.3,
            3.7, 4.0,
        ];
        let table = match self {
            EventType::FallInjury => &FALL,
            EventType::Admission => &ADMISSION,
            EventType::AvoidableAdmission => &AVOIDABLE,
            EventType::HomeVisit => &HOME_VISIT,
            EventType::CareRequest => &CARE_REQUEST,
        };
        table.get(band).copied().unwrap_or(0.0)
    }

    pub fn men_factor(self) -> f64 {
        match self {
            EventType::FallInjury => 0.75,
            EventType::Admission => 1.05,
            EventType::AvoidableAdmission => 1.2,
            EventType::HomeVisit => 0.85,
            EventType::CareRequest => 0.8,
        }
    }

    /// Relative weight of each month (falls on ice, winter infections, July holidays).
    pub fn month_weights(self) -> &'static [f64; 12] {
        const FALLS: [f64; 12] = [
            1.45, 1.35, 1.15, 0.9, 0.8, 0.8, 0.75, 0.75, 0.85, 0.95, 1.1, 1.3,
        ];
        const WINTER: [f64; 12] = [1.3, 1.3, 1.15, 1.0, 0.9, 0.8, 0.75, 0.8, 0.9, 1.0, 1.1, 1.2];
        const CARE: [f64; 12] = [1.1, 1.1, 1.1, 1.0, 1.0, 0.9, 0.55, 0.85, 1.1, 1.1, 1.1, 1.0];
        const FLAT: [f64; 12] = [1.0; 12];
        match self {
            EventType::FallInjury => &FALLS,
            EventType::Admission | EventType::AvoidableAdmission => &WINTER,
            EventType::HomeVisit => &FLAT,
            EventType::CareRequest => &CARE,
        }
    }
}

pub const FALL_PLACES: [&str; 3] = ["home", "outdoor", "saebo"];
pub const ADMISSION_CAUSES: [&str; 6] = [
    "fall",
    "stroke",
    "cancer",
    "hip_fracture",
    "infection",
    "other",
];
/// Mean length of stay in days per admission cause, before the 80+ extra day.
pub const ADMISSION_MEAN_STAY: [f64; 6] = [6.0, 10.0, 6.0, 9.0, 4.0, 3.0];
pub const AVOIDABLE_CAUSES: [&str; 6] = [
    "heart_failure",
    "copd",
    "diabetes",
    "angina",
    "dehydration",
    "pyelonephritis",
];
pub const AVOIDABLE_WEIGHTS: [f64; 6] = [0.30, 0.18, 0.08, 0.10, 0.12, 0.22];
pub const AVOIDABLE_MEAN_STAY: f64 = 5.0;
pub const HOME_VISIT_KINDS: [&str; 2] = ["doctor", "nurse"];
/// Share of home visits made by a doctor (the rest by a district nurse): about 40 doctor home
/// visits per 1 000 aged 65+ a year.
pub const DOCTOR_SHARE: f64 = 0.30;
pub const CHANNELS: [&str; 3] = ["phone", "digital", "visit"];
/// Share of care requests medically assessed within 3 days at an average health centre, and
/// the change per channel (phone, digital, visit).
pub const ASSESSED_BASE: f64 = 0.82;
pub const ASSESSED_CHANNEL: [f64; 3] = [0.0, 0.05, 0.03];
/// Share of persons listed at their catchment's health centre; the rest chose another one in
/// their kommun.
pub const LISTED_AT_CATCHMENT: f64 = 0.88;

pub fn fall_place_weights(band: usize) -> [f64; 3] {
    match band {
        b if b < BAND_65 => [0.35, 0.65, 0.0],
        b if b < BAND_80 => [0.60, 0.38, 0.02],
        BAND_80 => [0.60, 0.25, 0.15],
        _ => [0.50, 0.15, 0.35],
    }
}

pub fn admission_cause_weights(band: usize) -> [f64; 6] {
    match band {
        0 => [0.02, 0.0, 0.01, 0.0, 0.45, 0.52],
        1..=8 => [0.04, 0.005, 0.04, 0.002, 0.15, 0.763],
        9..=12 => [0.04, 0.03, 0.13, 0.005, 0.14, 0.655],
        13..=15 => [0.07, 0.06, 0.14, 0.025, 0.17, 0.535],
        _ => [0.11, 0.07, 0.08, 0.07, 0.22, 0.45],
    }
}

pub fn channel_weights(band: usize) -> [f64; 3] {
    match band {
        b if b < BAND_65 => [0.45, 0.30, 0.25],
        b if b < BAND_80 => [0.60, 0.15, 0.25],
        _ => [0.70, 0.05, 0.25],
    }
}

pub fn event_rate(ty: EventType, sex: usize, band: usize, deso: &Deso, t: usize) -> f64 {
    let sex_factor = if sex == 1 { ty.men_factor() } else { 1.0 };
    ty.rate(band) * sex_factor * deso.rate_factor.get(t).copied().unwrap_or(1.0)
}

pub fn draw_cause_value(
    rng: &mut Rng,
    ty: EventType,
    band: usize,
    assessment_offset: f64,
) -> (&'static str, u32) {
    let old = u32::from(band >= BAND_80);
    match ty {
        EventType::FallInjury => {
            let i = rng.pick(&fall_place_weights(band));
            (FALL_PLACES.get(i).copied().unwrap_or("home"), 1)
        }
        EventType::Admission => {
            let i = rng.pick(&admission_cause_weights(band));
            let mean = ADMISSION_MEAN_STAY.get(i).copied().unwrap_or(3.0);
            let stay = rng.length_of_stay(mean, 90) + old;
            (ADMISSION_CAUSES.get(i).copied().unwrap_or("other"), stay)
        }
        EventType::AvoidableAdmission => {
            let i = rng.pick(&AVOIDABLE_WEIGHTS);
            let stay = rng.length_of_stay(AVOIDABLE_MEAN_STAY, 60) + old;
            (
                AVOIDABLE_CAUSES.get(i).copied().unwrap_or("heart_failure"),
                stay,
            )
        }
        EventType::HomeVisit => {
            let doctor = rng.bernoulli(DOCTOR_SHARE);
            (HOME_VISIT_KINDS[usize::from(!doctor)], 1)
        }
        EventType::CareRequest => {
            let i = rng.pick(&channel_weights(band));
            let p = (ASSESSED_BASE
                + assessment_offset
                + ASSESSED_CHANNEL.get(i).copied().unwrap_or(0.0))
            .clamp(0.05, 0.99);
            (
                CHANNELS.get(i).copied().unwrap_or("phone"),
                u32::from(rng.bernoulli(p)),
            )
        }
    }
}

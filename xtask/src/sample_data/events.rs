//! `events.csv`: Poisson counts per DeSO × sex × age band × event type, each event given a
//! person, a date and a cause, streamed to disk. Every person has their events of every type
//! except care requests (`assessed_within_3_days`), which only a 1-in-N sample of persons has.

use std::io::Write;
use std::path::Path;

use super::county::population_of_year;
use super::county::{County, BANDS, BAND_65, BAND_80, HEALTH_CENTRES, KOMMUNER, SEXES};
use super::random::{mix40, splitmix64, Rng, STREAM_EVENTS};
use super::rates::{draw_cause_value, event_rate, EventType, EVENT_TYPES, LISTED_AT_CATCHMENT};
use super::{create, io_err, FIRST_YEAR, LAST_YEAR};

/// Expected event rows of the default run (all persons, care requests of one person in
/// `care_sample`, scale 1): how `--rows` finds its sampling fraction.
pub fn expected_default_rows(county: &County, care_sample: u32) -> f64 {
    let mut total = 0.0;
    for year in FIRST_YEAR..=LAST_YEAR {
        let population = population_of_year(county, year, 1);
        for (deso, cells) in county.desos.iter().zip(&population) {
            for (c, &n) in cells.iter().enumerate() {
                let (sex, band) = (c / BANDS, c % BANDS);
                for (t, ty) in EVENT_TYPES.iter().enumerate() {
                    let share = if *ty == EventType::CareRequest {
                        1.0 / f64::from(care_sample.max(1))
                    } else {
                        1.0
                    };
                    total += n as f64 * share * event_rate(*ty, sex, band, deso, t);
                }
            }
        }
    }
    total
}

pub fn days_in_month(year: u16, month: usize) -> u32 {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    match month {
        1 => {
            if leap {
                29
            } else {
                28
            }
        }
        3 | 5 | 8 | 10 => 30,
        _ => 31,
    }
}

/// A date in `year` (month index 0-based, day 1-based) following the month weights.
pub fn draw_date(rng: &mut Rng, year: u16, weights: &[f64; 12]) -> (usize, u32) {
    let w: [f64; 12] = std::array::from_fn(|m| weights[m] * f64::from(days_in_month(year, m)));
    let month = rng.pick(&w);
    let day = 1 + rng.below(u64::from(days_in_month(year, month))) as u32;
    (month, day)
}

/// The most single years of age in one band (90+ runs to 104).
const MAX_AGES_IN_BAND: usize = 15;

/// The single years of age in a band and the share of the band's people at each: even within
/// 5-year bands; for 90+ falling by a third a year, from 90 to 104.
fn ages_of_band(band: usize) -> Vec<(u32, f64)> {
    if band + 1 < BANDS {
        let lo = 5 * band as u32;
        return (lo..lo + 5).map(|age| (age, 0.2)).collect();
    }
    let mut weight = 1.0;
    let mut ages = Vec::with_capacity(MAX_AGES_IN_BAND);
    for age in 90..90 + MAX_AGES_IN_BAND as u32 {
        ages.push((age, weight));
        weight *= 2.0 / 3.0;
    }
    let total: f64 = ages.iter().map(|a| a.1).sum();
    ages.into_iter().map(|(age, w)| (age, w / total)).collect()
}

/// The person key without the person's number: DeSO, sex and birth year. A person's key adds
/// their number within the cohort in the low 22 bits; `mix40` turns it into the person_id.
fn cohort_key(deso: usize, sex: usize, birth_year: u32) -> u64 {
    ((deso as u64) << 31)
        | ((sex as u64) << 30)
        | (u64::from(birth_year.saturating_sub(1900) & 0xFF) << 22)
}

/// A uniform number in [0, 1) from a key: the same key always gives the same number.
fn unit_hash(key: u64) -> f64 {
    let mut state = key;
    (splitmix64(&mut state) >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// What `write_events` wrote, for the console and the README.
#[derive(Debug)]
pub struct EventTally {
    pub rows: u64,
    /// Rows per event type (in `EVENT_TYPES` order): all ages, and ages 65+.
    pub by_type: [[u64; 2]; 5],
    /// Home visits by a doctor to persons aged 65+.
    pub doctor_visits_65: u64,
    /// Admissions with cause `fall` at ages 80+.
    pub fall_admissions_80: u64,
    /// Care requests with value 1 (assessed within 3 days).
    pub assessed: u64,
    /// Fall injuries per age band (for the ESP 2013 standardised rate in the README).
    pub falls_by_band: [u64; BANDS],
}

/// Picks one of the persons of a cell uniformly: their age (index into `ages`) and number
/// within their cohort. `counts` holds the persons of each age, `total` their sum (> 0).
fn pick_person(
    rng: &mut Rng,
    counts: &[u64; MAX_AGES_IN_BAND],
    ages: usize,
    total: u64,
) -> (usize, u64) {
    let mut j = rng.below(total);
    let mut i = 0;
    while i + 1 < ages && j >= counts.get(i).copied().unwrap_or(0) {
        j -= counts.get(i).copied().unwrap_or(0);
        i += 1;
    }
    (i, j)
}

/// Writes `events.csv`. `person_fraction` is the share of persons whose events are written (1
/// in the default run); care requests keep a further one in `care_sample` of those persons.
pub fn write_events(
    dir: &Path,
    county: &County,
    seed: u64,
    person_fraction: f64,
    care_sample: u32,
    scale: u64,
) -> Result<EventTally, String> {
    let name = "events.csv";
    let mut w = create(dir, name)?;
    let err = io_err(name);
    writeln!(
        w,
        "event_id,person_id,year,date,deso,kommun,vardcentral,sex,age,event_type,cause,value"
    )
    .map_err(&err)?;
    let mut rng = Rng::stream(seed, STREAM_EVENTS);
    // Listing choice per person: a hash of the person key with the seed, not a draw, so a
    // person keeps one health centre in every event.
    let listing_salt = splitmix64(&mut (seed ^ 0x4C49_5354));
    let cohort_salt = splitmix64(&mut (seed ^ 0x434F_484F));
    let care_fraction = person_fraction / f64::from(care_sample.max(1));
    let mut tally = EventTally {
        rows: 0,
        by_type: [[0; 2]; 5],
        doctor_visits_65: 0,
        fall_admissions_80: 0,
        assessed: 0,
        falls_by_band: [0; BANDS],
    };
    for year in FIRST_YEAR..=LAST_YEAR {
        let population = population_of_year(county, year, scale);
        let trend = 0.01 * (f64::from(year) - 2023.0);
        for (di, (deso, cells)) in county.desos.iter().zip(&population).enumerate() {
            let kommun = KOMMUNER.get(deso.kommun).map_or("", |k| k.code);
            let vcs = county
                .vcs_of_kommun
                .get(deso.kommun)
                .map_or(&[][..], Vec::as_slice);
            for (c, &n) in cells.iter().enumerate() {
                let (sex, band) = (c / BANDS, c % BANDS);
                // The persons of each age (birth year) in this cell: all of them (or the
                // fraction asked for), and the smaller sample that has care requests. Person
                // numbers run from 0 within a cohort, and the care sample is the lowest numbers,
                // so its persons are persons with other events too. A cohort keeps its random
                // rounding `u` in every year, so the same persons stay in the sample.
                let ages = ages_of_band(band);
                let mut persons = [0u64; MAX_AGES_IN_BAND];
                let mut care_persons = [0u64; MAX_AGES_IN_BAND];
                for (i, (age, share)) in ages.iter().enumerate() {
                    let birth_year = u32::from(year) - age;
                    let u = unit_hash(cohort_key(di, sex, birth_year) ^ cohort_salt);
                    let x = n as f64 * share;
                    if let (Some(all), Some(care)) = (persons.get_mut(i), care_persons.get_mut(i)) {
                        *all = (x * person_fraction + u).floor() as u64;
                        *care = (x * care_fraction + u).floor() as u64;
                    }
                }
                for (t, ty) in EVENT_TYPES.iter().enumerate() {
                    let counts = if *ty == EventType::CareRequest {
                        &care_persons
                    } else {
                        &persons
                    };
                    let in_cell: u64 = counts.iter().sum();
                    let lambda = in_cell as f64 * event_rate(*ty, sex, band, deso, t);
                    let count = rng.poisson(lambda);
                    if *ty == EventType::FallInjury {
                        if let Some(falls) = tally.falls_by_band.get_mut(band) {
                            *falls += count;
                        }
                    }
                    if let Some(rows) = tally.by_type.get_mut(t) {
                        rows[0] += count;
                        if band >= BAND_65 {
                            rows[1] += count;
                        }
                    }
                    for _ in 0..count {
                        let (i, j) = pick_person(&mut rng, counts, ages.len(), in_cell);
                        let age = ages.get(i).map_or(0, |a| a.0);
                        let birth_year = u32::from(year) - age;
                        let key = cohort_key(di, sex, birth_year) | (j & 0x3F_FFFF);
                        let person_id = mix40(key);
                        let listing = mix40(key ^ listing_salt);
                        let vc = if (listing & 0xFFFF) as f64 / 65536.0 < LISTED_AT_CATCHMENT
                            || vcs.is_empty()
                        {
                            deso.vc
                        } else {
                            vcs.get((listing >> 16) as usize % vcs.len())
                                .copied()
                                .unwrap_or(deso.vc)
                        };
                        let (cause, value) = draw_cause_value(
                            &mut rng,
                            *ty,
                            band,
                            county.assessment_offset.get(vc).copied().unwrap_or(0.0) + trend,
                        );
                        match ty {
                            EventType::HomeVisit if band >= BAND_65 && cause == "doctor" => {
                                tally.doctor_visits_65 += 1;
                            }
                            EventType::Admission if band >= BAND_80 && cause == "fall" => {
                                tally.fall_admissions_80 += 1;
                            }
                            EventType::CareRequest => tally.assessed += u64::from(value),
                            _ => {}
                        }
                        let (month, day) = draw_date(&mut rng, year, ty.month_weights());
                        tally.rows += 1;
                        writeln!(
                            w,
                            "{},{person_id},{year},{year}-{:02}-{day:02},{},{kommun},{},{},{age},{},{cause},{value}",
                            tally.rows,
                            month + 1,
                            deso.code,
                            HEALTH_CENTRES.get(vc).map_or("", |h| h.name),
                            SEXES.get(sex).copied().unwrap_or(""),
                            ty.as_str(),
                        )
                        .map_err(&err)?;
                    }
                }
            }
        }
    }
    w.flush().map_err(&err)?;
    Ok(tally)
}

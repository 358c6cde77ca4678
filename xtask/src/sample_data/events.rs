//! `events.csv`: Poisson counts per DeSO × sex × age band × event type, each event given a
//! sampled person, a date and a cause, streamed to disk.

use std::io::Write;
use std::path::Path;

use super::county::population_of_year;
use super::county::{County, BANDS, BAND_65, HEALTH_CENTRES, KOMMUNER, SEXES};
use super::random::{mix40, splitmix64, Rng, STREAM_EVENTS};
use super::rates::{draw_cause_value, event_rate, EVENT_TYPES, LISTED_AT_CATCHMENT};
use super::{create, io_err, FIRST_YEAR, LAST_YEAR};

/// Expected event rows for the whole county (all persons, scale 1): how `--rows` finds its
/// sampling fraction.
pub fn expected_full_rows(county: &County) -> f64 {
    let mut total = 0.0;
    for year in FIRST_YEAR..=LAST_YEAR {
        let population = population_of_year(county, year, 1);
        for (deso, cells) in county.desos.iter().zip(&population) {
            for (c, &n) in cells.iter().enumerate() {
                let (sex, band) = (c / BANDS, c % BANDS);
                for (t, ty) in EVENT_TYPES.iter().enumerate() {
                    total += n as f64 * event_rate(*ty, sex, band, deso, t);
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

/// Writes `events.csv`; returns its rows and the rows per event type (all ages, 65+).
pub fn write_events(
    dir: &Path,
    county: &County,
    seed: u64,
    person_fraction: f64,
    scale: u64,
) -> Result<(u64, [[u64; 2]; 5]), String> {
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
    let mut event_id: u64 = 0;
    let mut by_type = [[0u64; 2]; 5];
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
                // The sampled persons of each age (birth year) in this cell. A cohort keeps its
                // random rounding `u` in every year, so the same persons stay in the sample.
                let ages = ages_of_band(band);
                let mut sampled = [0u64; MAX_AGES_IN_BAND];
                for (i, (age, share)) in ages.iter().enumerate() {
                    let birth_year = u32::from(year) - age;
                    let u = unit_hash(cohort_key(di, sex, birth_year) ^ cohort_salt);
                    if let Some(slot) = sampled.get_mut(i) {
                        *slot = (n as f64 * share * person_fraction + u).floor() as u64;
                    }
                }
                let sampled_in_cell: u64 = sampled.iter().sum();
                for (t, ty) in EVENT_TYPES.iter().enumerate() {
                    let lambda = sampled_in_cell as f64 * event_rate(*ty, sex, band, deso, t);
                    let count = rng.poisson(lambda);
                    if let Some(tally) = by_type.get_mut(t) {
                        tally[0] += count;
                        if band >= BAND_65 {
                            tally[1] += count;
                        }
                    }
                    for _ in 0..count {
                        // One of the sampled persons, uniformly.
                        let mut j = rng.below(sampled_in_cell);
                        let mut i = 0;
                        while i + 1 < ages.len() && j >= sampled.get(i).copied().unwrap_or(0) {
                            j -= sampled.get(i).copied().unwrap_or(0);
                            i += 1;
                        }
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
                        let (month, day) = draw_date(&mut rng, year, ty.month_weights());
                        event_id += 1;
                        writeln!(
                            w,
                            "{event_id},{person_id},{year},{year}-{:02}-{day:02},{},{kommun},{},{},{age},{},{cause},{value}",
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
    Ok((event_id, by_type))
}

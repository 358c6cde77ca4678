//! `survey.csv`: counts shaped like the national patient survey (NPE) per year, health centre
//! and question.

use std::io::Write;
use std::path::Path;

use super::county::{population_of_year, County, HEALTH_CENTRES};
use super::random::{Rng, STREAM_SURVEY};
use super::{create, io_err, FIRST_YEAR, LAST_YEAR};

/// NPE-like questions and the share answering positively at an average health centre
/// (invented levels in the range the national patient survey reports).
pub const SURVEY_QUESTIONS: [(&str, f64); 5] = [
    ("continuity_coordination", 0.58),
    ("respect_treatment", 0.88),
    ("participation_involvement", 0.79),
    ("easy_to_get_care_evenings", 0.45),
    ("trust", 0.81),
];
/// Respondents per listed inhabitant (NPE samples a few hundred patients per health centre).
pub const SURVEY_RESPONDENTS_PER_LISTED: f64 = 0.012;

pub fn write_survey(dir: &Path, county: &County, seed: u64, scale: u64) -> Result<(), String> {
    let name = "survey.csv";
    let mut w = create(dir, name)?;
    let err = io_err(name);
    writeln!(w, "year,vardcentral,question,respondents,positive").map_err(&err)?;
    let mut rng = Rng::stream(seed, STREAM_SURVEY);
    let question_effect: Vec<f64> = HEALTH_CENTRES.iter().map(|_| 0.04 * rng.normal()).collect();
    for year in FIRST_YEAR..=LAST_YEAR {
        let population = population_of_year(county, year, 1);
        let mut listed = vec![0u64; HEALTH_CENTRES.len()];
        for (deso, cells) in county.desos.iter().zip(&population) {
            if let Some(slot) = listed.get_mut(deso.vc) {
                *slot += cells.iter().sum::<u64>();
            }
        }
        for (i, h) in HEALTH_CENTRES.iter().enumerate() {
            let listed_people = listed.get(i).copied().unwrap_or(0) * scale;
            let base = listed_people as f64 * SURVEY_RESPONDENTS_PER_LISTED;
            let respondents = rng.poisson(base.max(25.0));
            // Patients notice access: a centre's survey results follow its assessment offset.
            let centre = 0.5 * county.assessment_offset.get(i).copied().unwrap_or(0.0)
                + question_effect.get(i).copied().unwrap_or(0.0);
            for (question, level) in SURVEY_QUESTIONS {
                let answered = respondents - rng.binomial(respondents, 0.04);
                let p = (level + centre + 0.02 * rng.normal()).clamp(0.02, 0.98);
                let positive = rng.binomial(answered, p);
                writeln!(w, "{year},{},{question},{answered},{positive}", h.name).map_err(&err)?;
            }
        }
    }
    w.flush().map_err(&err)
}

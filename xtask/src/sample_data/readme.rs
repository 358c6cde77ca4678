//! `README.md` next to the files: says they are invented, how they were made, what each
//! column means. Written by the generator so it always states the seed and sampling used.

use std::io::Write;
use std::path::Path;

use super::county::{BAND_65, PEOPLE_PER_DESO};
use super::rates::{EventType, EVENT_TYPES, LISTED_AT_CATCHMENT};
use super::{create, io_err, Options, Summary, DEFAULT_CARE_SAMPLE, DEFAULT_SEED};

/// Writes `README.md` for the files of this run.
pub fn write_readme(dir: &Path, options: &Options, s: &Summary) -> Result<(), String> {
    let command = match options.rows {
        None if options.seed == DEFAULT_SEED => "cargo xtask sample-data".to_string(),
        None => format!("cargo xtask sample-data --seed {}", options.seed),
        Some(rows) => format!(
            "cargo xtask sample-data --rows {rows} --seed {} --out <dir>",
            options.seed
        ),
    };
    let care = DEFAULT_CARE_SAMPLE;
    let sampling = if options.rows.is_none() {
        format!(
            "`events.csv` holds **every** person's fall injuries, admissions, avoidable \
             admissions and home visits, at realistic rates: rates computed as event rows ÷ \
             population in `population.csv` are the county's levels, no correction needed.\n\n\
             **Care requests are a 1-in-{care} sample of persons; use them only for shares.** \
             The rows with `event_type` `assessed_within_3_days` are the care requests of one \
             person in {care} (about 1.5 requests a person a year would be 2 million rows over \
             five years). A sampled person has all their care requests in the file. Shares, \
             such as the share assessed within 3 days per health centre, need no correction; \
             a count of care requests per inhabitant would be {care} times too low."
        )
    } else if s.population_scale == 1 {
        format!(
            "This is a benchmark run (`--rows`): `events.csv` holds the events of a random \
             fraction {:.6} of persons, and the care requests (`assessed_within_3_days`) of a \
             further one in {care} of those. For rates, divide event counts by that fraction \
             (care requests by the fraction ÷ {care}).",
            s.person_fraction
        )
    } else {
        format!(
            "This is a benchmark run (`--rows`): the population is the invented county's times \
             {} and `events.csv` holds the events of a random fraction {:.6} of its persons, \
             the care requests (`assessed_within_3_days`) of a further one in {care} of those. \
             For rates, divide event counts by that fraction (care requests by the fraction ÷ \
             {care}).",
            s.population_scale, s.person_fraction
        )
    };
    let command = if s.bad_rows > 0 {
        format!("{command} --bad-rows {}", options.bad_rows)
    } else {
        command
    };
    let sampling = if s.bad_rows > 0 {
        format!(
            "{sampling}\n\n**`events.csv` holds {} bad rows** (`--bad-rows`), listed with their \
             row and kind in `bad-rows.csv`, for testing that every row is accounted for: \
             ragged rows, ages that are not numbers or not 0–120, unknown and malformed DeSO \
             codes, impossible and non-ISO dates, a year that is not the date's, an unknown sex \
             and event type, a care request whose value is not 0 or 1, a kommun that is not the \
             DeSO's, a blank line, an exact duplicate and bytes that are not UTF-8. The other \
             rows are byte for byte those of the run without `--bad-rows`; the counts below \
             are theirs.",
            s.bad_rows
        )
    } else {
        sampling
    };
    let levels_intro = if options.rows.is_none() {
        format!(
            "event rows ÷ person-years in `population.csv`, all years; care requests \
             multiplied by {care} for their sample"
        )
    } else {
        "event rows ÷ sampling fraction ÷ person-years in `population.csv`, all years".to_string()
    };
    let events = &s.events;
    let mut levels = String::from(
        "| `event_type` | rows | per 1 000 inhabitants a year | per 1 000 aged 65+ a year |\n\
         | --- | ---: | ---: | ---: |\n",
    );
    for (ty, [all, old]) in EVENT_TYPES.iter().zip(events.by_type) {
        let fraction = if *ty == EventType::CareRequest {
            s.person_fraction / f64::from(care)
        } else {
            s.person_fraction
        };
        let per_1000 = |count: u64, person_years: u64| {
            1000.0 * count as f64 / fraction / person_years.max(1) as f64
        };
        let note = if *ty == EventType::CareRequest {
            format!(" (sample × {care})")
        } else {
            String::new()
        };
        levels.push_str(&format!(
            "| `{}` | {all} | {:.1}{note} | {:.1}{note} |\n",
            ty.as_str(),
            per_1000(all, s.person_years[0]),
            per_1000(old, s.person_years[1]),
        ));
    }
    // ESP 2013 (European Standard Population) weights of the bands 65–69 … 90+.
    const ESP_65: [f64; 6] = [5500.0, 5000.0, 4000.0, 2500.0, 1500.0, 1000.0];
    let mut standardised = 0.0;
    for (i, weight) in ESP_65.iter().enumerate() {
        let band = BAND_65 + i;
        let falls = events.falls_by_band.get(band).copied().unwrap_or(0) as f64;
        let py = s
            .person_years_by_band
            .get(band)
            .copied()
            .unwrap_or(0)
            .max(1) as f64;
        standardised += weight * 100_000.0 * falls / s.person_fraction / py;
    }
    standardised /= ESP_65.iter().sum::<f64>();
    let [care_all, _] = events.by_type.get(4).copied().unwrap_or([0, 0]);
    let key_figures = format!(
        "- fall injuries at 65+, standardised to ESP 2013: {:.0} per 100 000 a year;\n\
         - admissions with cause `fall` at 80+: {:.1} per 1 000 a year;\n\
         - home visits by a doctor (`home_visit`, cause `doctor`) at 65+: {:.1} per 1 000 a year;\n\
         - care requests assessed within 3 days: {:.1} % (a share, from the sample).\n",
        standardised,
        1000.0 * events.fall_admissions_80 as f64
            / s.person_fraction
            / s.person_years[2].max(1) as f64,
        1000.0 * events.doctor_visits_65 as f64
            / s.person_fraction
            / s.person_years[1].max(1) as f64,
        100.0 * events.assessed as f64 / care_all.max(1) as f64,
    );
    let text = format!(
        r#"# Sample data (synthetic)

**These data are invented.** No row describes a real person, area or health centre. Only the
15 kommun codes and names of Västerbotten and their approximate sizes are real (SCB); DeSO areas,
health centres, persons, events and survey answers are made up by a seeded random generator, to
try Samsyn and its notebooks without touching real care data.

Made with `{command}` (seed {seed}, `xtask/src/sample_data.rs`, issue 7). The same command
gives byte-identical files on any machine.

## `events.csv` is generated, not committed

`events.csv` (about 27 MB) is not in the repository: `cargo xtask sample-data` writes it in
about a second, and `cargo xtask serve`, `test` and `dist` write it when it is missing. The
other files here are committed.

## Persons in `events.csv`

{sampling}

Levels in these files ({levels_intro}):

{levels}
Some key figures:

{key_figures}
## How they were made

- **County:** the 15 kommuner of Västerbotten with their real SCB codes and about their 2023
  populations (≈ 275 000 in all), growing on the coast and shrinking inland, 2021–2025.
- **DeSO areas:** about one per {people_per_deso:.0} inhabitants, {deso_count} in all, coded like real DeSO
  (`2480C1010`: kommun code, type `A` mostly rural, `B` other town, `C` the kommun's central
  town, four digits); contents invented.
- **Population:** a Swedish age pyramid tilted older inland and in rural areas, younger in
  Umeå (with a few student areas), more women among the oldest. Each kommun's yearly total is
  split over DeSO × sex × age band exactly.
- **Health centres:** {vc_count} invented vårdcentraler/hälsocentraler, each in one kommun, owned
  by the region or private. Every DeSO belongs to one centre's catchment; about
  {listed:.0} % of persons are listed there, the rest at another centre in their kommun.
- **Events:** drawn per DeSO × sex × age band × event type as Poisson counts with age-specific
  rates (falls, admissions and avoidable admissions rise steeply with age; fall injuries mostly
  65+, about 2–3 % a year; about 10 % of people admitted a year; several care requests a year
  at 65+), random variation between kommuner and DeSO areas, seasons (falls on winter ice, July
  holidays). A few health centres are clearly better (Bjurholm, Tomtebo, Byske) or worse
  (Dorotea, Teg, Anderstorp) at assessing care requests within 3 days.
- **Survey:** per year and health centre, respondents in proportion to the centre's catchment
  and positive answers around invented national levels, moved by the centre's accessibility.

## Files

All files are comma-separated UTF-8 with a header row.

### `population.csv` ({population_rows} rows)
| column | meaning |
| --- | --- |
| `year` | 2021–2025 |
| `deso` | DeSO code, e.g. `2480C1010` |
| `kommun` | kommun code (4 digits) |
| `sex` | `K` woman, `M` man |
| `age_band` | `0-4`, `5-9`, …, `85-89`, `90+` |
| `population` | inhabitants on 31 December |

One row per year × DeSO × sex × age band.

### `events.csv` ({event_rows} rows, generated)
| column | meaning |
| --- | --- |
| `event_id` | running number |
| `person_id` | invented person number, the same for a person in all events and years |
| `year` | 2021–2025 |
| `date` | ISO date within the year, `2023-04-17` |
| `deso`, `kommun` | where the person lives |
| `vardcentral` | the health centre the person is listed at |
| `sex` | `K` or `M` |
| `age` | year − birth year |
| `event_type` | see below |
| `cause` | see below |
| `value` | see below |

| `event_type` | `cause` | `value` |
| --- | --- | --- |
| `fall_injury` | place: `home`, `outdoor`, `saebo` (special housing) | 1 |
| `admission` | `fall`, `stroke`, `cancer`, `hip_fracture`, `infection`, `other` | length of stay, days |
| `avoidable_admission` (ages 65+) | `heart_failure`, `copd`, `diabetes`, `angina`, `dehydration`, `pyelonephritis` | length of stay, days |
| `home_visit` | `doctor`, `nurse` | 1 |
| `assessed_within_3_days` (a care request at the health centre; 1-in-{care} sample of persons) | channel: `phone`, `digital`, `visit` | 1 if medically assessed within 3 days, else 0 |

### `areas.csv`
| column | meaning |
| --- | --- |
| `deso` | DeSO code |
| `kommun` | kommun code |
| `kommun_name` | kommun name |
| `deso_type` | `A` mostly rural, `B` other town, `C` central town |
| `vardcentral` | the health centre whose catchment the DeSO is in |

### `vardcentraler.csv`
| column | meaning |
| --- | --- |
| `vardcentral` | name of the health centre |
| `kommun` | kommun code |
| `owner` | `region` or `privat` |

### `survey.csv`
Shaped like the national patient survey (NPE): counts per question.

| column | meaning |
| --- | --- |
| `year` | 2021–2025 |
| `vardcentral` | health centre |
| `question` | `continuity_coordination`, `respect_treatment`, `participation_involvement`, `easy_to_get_care_evenings`, `trust` |
| `respondents` | answers to the question |
| `positive` | positive answers (never above `respondents`) |
"#,
        seed = options.seed,
        people_per_deso = PEOPLE_PER_DESO,
        deso_count = s.deso_count,
        vc_count = s.vc_count,
        listed = 100.0 * LISTED_AT_CATCHMENT,
        population_rows = s.population_rows,
        event_rows = s.event_rows,
    );
    let name = "README.md";
    let mut w = create(dir, name)?;
    let err = io_err(name);
    w.write_all(text.as_bytes()).map_err(&err)?;
    w.flush().map_err(&err)
}

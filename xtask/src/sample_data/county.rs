//! The invented county: Västerbotten's 15 kommuner (real SCB codes, names, rough sizes),
//! invented DeSO areas and health centres, and the population by DeSO, sex and age band.

use super::random::{exp, Rng, STREAM_AREAS};

/// A kommun of the synthetic county. Codes, names and sizes: SCB (population 2023, rounded);
/// growth, age tilt and DeSO mix are invented to look like Västerbotten (growing coast,
/// shrinking and older inland).
pub struct Kommun {
    pub code: &'static str,
    pub name: &'static str,
    pub population_2023: u32,
    /// Yearly relative change of the population.
    pub growth: f64,
    /// Age tilt: 0 is a Swedish average, positive older, negative younger.
    pub oldness: f64,
    /// Shares of DeSO areas of type C (the kommun's central town) and B (other towns);
    /// the rest are A (mostly rural).
    pub share_c: f64,
    pub share_b: f64,
}

pub const fn k(
    code: &'static str,
    name: &'static str,
    population_2023: u32,
    growth: f64,
    oldness: f64,
    share_c: f64,
    share_b: f64,
) -> Kommun {
    Kommun {
        code,
        name,
        population_2023,
        growth,
        oldness,
        share_c,
        share_b,
    }
}

pub const KOMMUNER: [Kommun; 15] = [
    k("2401", "Nordmaling", 7_100, -0.004, 0.25, 0.4, 0.3),
    k("2403", "Bjurholm", 2_400, -0.006, 0.30, 0.5, 0.0),
    k("2404", "Vindeln", 5_400, -0.004, 0.30, 0.4, 0.2),
    k("2409", "Robertsfors", 6_700, -0.003, 0.28, 0.35, 0.3),
    k("2417", "Norsjö", 4_000, -0.006, 0.28, 0.5, 0.2),
    k("2418", "Malå", 3_000, -0.005, 0.25, 0.5, 0.0),
    k("2421", "Storuman", 5_800, -0.006, 0.30, 0.4, 0.3),
    k("2422", "Sorsele", 2_400, -0.010, 0.34, 0.5, 0.0),
    k("2425", "Dorotea", 2_500, -0.010, 0.40, 0.5, 0.0),
    k("2460", "Vännäs", 8_800, 0.004, 0.10, 0.5, 0.2),
    k("2462", "Vilhelmina", 6_600, -0.007, 0.30, 0.5, 0.2),
    k("2463", "Åsele", 2_800, -0.010, 0.38, 0.5, 0.0),
    k("2480", "Umeå", 131_000, 0.010, -0.15, 0.7, 0.15),
    k("2481", "Lycksele", 12_000, -0.003, 0.17, 0.6, 0.1),
    k("2482", "Skellefteå", 76_000, 0.008, 0.11, 0.5, 0.3),
];

/// Standard deviation of a typical health centre's offset of the share assessed within 3 days.
const TYPICAL_ACCESS_SD: f64 = 0.035;

/// Inhabitants per DeSO area, roughly (SCB: 700–2 700).
pub const PEOPLE_PER_DESO: f64 = 1_600.0;

/// The kommun's population in a year (before any `--rows` multiplication).
pub fn kommun_total(kommun: &Kommun, year: u16) -> u64 {
    let mut total = f64::from(kommun.population_2023);
    let factor = 1.0 + kommun.growth;
    let mut y = 2023;
    while y < year {
        total *= factor;
        y += 1;
    }
    while y > year {
        total /= factor;
        y -= 1;
    }
    total.round() as u64
}

/// Which DeSO areas a health centre takes as its catchment.
#[derive(Clone, Copy, PartialEq)]
pub enum Serves {
    /// Areas in the central town (type C).
    Centre,
    /// Areas outside it (types A and B).
    Outside,
    /// Every area of the kommun.
    All,
}

#[derive(Clone, Copy, PartialEq)]
pub enum Owner {
    Region,
    Private,
}

impl Owner {
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Region => "region",
            Owner::Private => "privat",
        }
    }
}

/// How a health centre does on assessing care requests within 3 days: most are typical (a small
/// random offset), a few are set clearly apart so traffic lights have something to show.
#[derive(Clone, Copy, PartialEq)]
pub enum Access {
    Typical,
    Better,
    Worse,
}

impl Access {
    /// The change of the share assessed within 3 days; `None` for a random, typical offset.
    pub fn fixed_offset(self) -> Option<f64> {
        match self {
            Access::Typical => None,
            Access::Better => Some(0.12),
            Access::Worse => Some(-0.22),
        }
    }
}

/// An invented health centre: name, kommun code, owner, catchment, access.
pub struct HealthCentre {
    pub name: &'static str,
    pub kommun: &'static str,
    pub owner: Owner,
    pub serves: Serves,
    pub access: Access,
}

const fn hc(
    name: &'static str,
    kommun: &'static str,
    owner: Owner,
    serves: Serves,
    access: Access,
) -> HealthCentre {
    HealthCentre {
        name,
        kommun,
        owner,
        serves,
        access,
    }
}

use Access::{Better, Typical, Worse};
use Owner::{Private, Region};
use Serves::{All, Centre, Outside};

/// The invented health centres: one per small kommun, several in Umeå and Skellefteå.
#[rustfmt::skip]
pub const HEALTH_CENTRES: [HealthCentre; 36] = [
    hc("Nordmalings hälsocentral",    "2401", Region,  All,     Typical),
    hc("Bjurholms hälsocentral",      "2403", Region,  All,     Better),
    hc("Vindelns hälsocentral",       "2404", Region,  All,     Typical),
    hc("Robertsfors hälsocentral",    "2409", Region,  All,     Typical),
    hc("Norsjö hälsocentral",         "2417", Region,  All,     Typical),
    hc("Malå hälsocentral",           "2418", Region,  All,     Typical),
    hc("Storumans hälsocentral",      "2421", Region,  All,     Typical),
    hc("Sorsele hälsocentral",        "2422", Region,  All,     Typical),
    hc("Dorotea hälsocentral",        "2425", Region,  All,     Worse),
    hc("Vännäs hälsocentral",         "2460", Region,  All,     Typical),
    hc("Vännäsby vårdcentral",        "2460", Private, All,     Typical),
    hc("Vilhelmina hälsocentral",     "2462", Region,  All,     Typical),
    hc("Åsele hälsocentral",          "2463", Region,  All,     Typical),
    hc("Ålidhems hälsocentral",       "2480", Region,  Centre,  Typical),
    hc("Mariehems hälsocentral",      "2480", Region,  Centre,  Typical),
    hc("Tegs hälsocentral",           "2480", Region,  Centre,  Worse),
    hc("Ersboda hälsocentral",        "2480", Region,  Centre,  Typical),
    hc("Västerslätts hälsocentral",   "2480", Region,  Centre,  Typical),
    hc("Haga vårdcentral",            "2480", Private, Centre,  Typical),
    hc("Tomtebo vårdcentral",         "2480", Private, Centre,  Better),
    hc("Backens vårdcentral",         "2480", Private, Centre,  Typical),
    hc("Carlslids vårdcentral",       "2480", Private, Centre,  Typical),
    hc("Nydala vårdcentral",          "2480", Private, Centre,  Typical),
    hc("Sävar hälsocentral",          "2480", Region,  Outside, Typical),
    hc("Holmsunds hälsocentral",      "2480", Region,  Outside, Typical),
    hc("Hörnefors hälsocentral",      "2480", Region,  Outside, Typical),
    hc("Lycksele hälsocentral",       "2481", Region,  All,     Typical),
    hc("Anderstorps hälsocentral",    "2482", Region,  Centre,  Worse),
    hc("Morö Backe hälsocentral",     "2482", Region,  Centre,  Typical),
    hc("Norrböle vårdcentral",        "2482", Private, Centre,  Typical),
    hc("Sunnanå vårdcentral",         "2482", Private, Centre,  Typical),
    hc("Bureå hälsocentral",          "2482", Region,  Outside, Typical),
    hc("Byske hälsocentral",          "2482", Region,  Outside, Better),
    hc("Bolidens hälsocentral",       "2482", Region,  Outside, Typical),
    hc("Burträsks hälsocentral",      "2482", Region,  Outside, Typical),
    hc("Skelleftehamns hälsocentral", "2482", Region,  Outside, Typical),
];

/// Age bands 0–4 … 85–89, 90+ (as in SCB tables and ESP2013 with 90+ merged).
pub const BANDS: usize = 19;
pub const BAND_LABELS: [&str; BANDS] = [
    "0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49", "50-54",
    "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+",
];
/// The first band of ages 65+.
pub const BAND_65: usize = 13;
pub const BAND_80: usize = 16;
pub const SEXES: [&str; 2] = ["K", "M"];

/// A Swedish-like age structure in per cent per band (shape of SCB's 2023 pyramid, rounded).
pub const BASE_AGE_SHARE: [f64; BANDS] = [
    5.6, 5.9, 6.0, 5.8, 5.8, 6.6, 6.9, 6.6, 6.2, 6.3, 6.6, 6.3, 5.7, 5.4, 5.4, 4.7, 3.0, 1.6, 0.9,
];

/// Men per woman by band: slightly more boys, many more women among the oldest.
pub const MEN_PER_WOMAN: [f64; BANDS] = [
    1.05, 1.05, 1.05, 1.06, 1.07, 1.07, 1.06, 1.05, 1.04, 1.03, 1.03, 1.02, 1.01, 0.99, 0.96, 0.90,
    0.80, 0.65, 0.45,
];

pub fn band_midpoint(band: usize) -> f64 {
    if band + 1 == BANDS {
        93.0
    } else {
        5.0 * band as f64 + 2.5
    }
}

// Building the county

pub struct Deso {
    pub code: String,
    pub kommun: usize,
    pub kind: char,
    /// Relative size within its kommun.
    pub size: f64,
    pub oldness: f64,
    /// A student area: many aged 20–29.
    pub student: bool,
    /// Catchment health centre (index into `HEALTH_CENTRES`).
    pub vc: usize,
    /// Multiplier of every event rate per event type (area variation).
    pub rate_factor: [f64; 5],
}

pub struct County {
    pub desos: Vec<Deso>,
    /// Offset of each health centre's share assessed within 3 days.
    pub assessment_offset: Vec<f64>,
    /// Health centres of each kommun.
    pub vcs_of_kommun: Vec<Vec<usize>>,
}

pub fn build_county(seed: u64) -> County {
    let mut rng = Rng::stream(seed, STREAM_AREAS);
    let vcs_of_kommun: Vec<Vec<usize>> = KOMMUNER
        .iter()
        .map(|k| {
            (0..HEALTH_CENTRES.len())
                .filter(|&i| HEALTH_CENTRES.get(i).is_some_and(|h| h.kommun == k.code))
                .collect()
        })
        .collect();
    let assessment_offset = HEALTH_CENTRES
        .iter()
        .map(|h| {
            h.access
                .fixed_offset()
                .unwrap_or_else(|| TYPICAL_ACCESS_SD * rng.normal())
        })
        .collect();

    let mut desos = Vec::new();
    for (ki, kommun) in KOMMUNER.iter().enumerate() {
        let n = ((f64::from(kommun.population_2023) / PEOPLE_PER_DESO).round() as usize).max(2);
        let n_c = ((n as f64 * kommun.share_c).round() as usize).clamp(1, n);
        let n_b = ((n as f64 * kommun.share_b).round() as usize).min(n - n_c);
        let kommun_factor: [f64; 5] = std::array::from_fn(|_| exp(0.08 * rng.normal()));
        let vcs = vcs_of_kommun.get(ki).cloned().unwrap_or_default();
        let serving = |kind: char| -> Vec<usize> {
            let wanted = if kind == 'C' { Centre } else { Outside };
            let some: Vec<usize> = vcs
                .iter()
                .copied()
                .filter(|&i| {
                    HEALTH_CENTRES
                        .get(i)
                        .is_some_and(|h| h.serves == wanted || h.serves == All)
                })
                .collect();
            if some.is_empty() {
                vcs.clone()
            } else {
                some
            }
        };
        let (centre_vcs, outside_vcs) = (serving('C'), serving('A'));
        let mut outside_seen = 0;
        for (i, kind) in (0..n).map(|i| match i {
            i if i < n_c => (i, 'C'),
            i if i < n_c + n_b => (i - n_c, 'B'),
            i => (i - n_c - n_b, 'A'),
        }) {
            let number = match kind {
                'A' => 10 + 10 * i,
                'B' => 2010 + 10 * i,
                _ => 1010 + 10 * i,
            };
            let student = kommun.code == "2480" && kind == 'C' && i % 10 < 2 && i < 30;
            let kind_oldness = match kind {
                'A' => 0.15,
                'B' => 0.05,
                _ => -0.05,
            };
            let vc = if kind == 'C' {
                centre_vcs.get(i % centre_vcs.len().max(1))
            } else {
                outside_seen += 1;
                outside_vcs.get((outside_seen - 1) % outside_vcs.len().max(1))
            };
            desos.push(Deso {
                code: format!("{}{kind}{number:04}", kommun.code),
                kommun: ki,
                kind,
                size: 0.75 + 0.5 * rng.uniform(),
                oldness: kommun.oldness + kind_oldness + 0.15 * rng.normal(),
                student,
                vc: vc.copied().unwrap_or(0),
                rate_factor: std::array::from_fn(|t| {
                    kommun_factor.get(t).copied().unwrap_or(1.0) * exp(0.12 * rng.normal())
                }),
            });
        }
    }
    desos.sort_by(|a, b| a.code.cmp(&b.code));
    County {
        desos,
        assessment_offset,
        vcs_of_kommun,
    }
}

/// The share of a DeSO's people in each sex × band cell (index sex * BANDS + band), summing to 1.
pub fn age_sex_profile(deso: &Deso, year: u16) -> [f64; 2 * BANDS] {
    // The county ages a little every year.
    let oldness = deso.oldness + 0.015 * (f64::from(year) - 2023.0);
    let mut cells = [0.0; 2 * BANDS];
    for band in 0..BANDS {
        let tilt = (band_midpoint(band) - 42.0) / 30.0;
        let mut w = BASE_AGE_SHARE[band] * exp(oldness * tilt);
        if deso.student && (band == 4 || band == 5) {
            w *= if band == 4 { 3.0 } else { 2.0 };
        }
        let r = MEN_PER_WOMAN[band];
        cells[band] = w / (1.0 + r);
        cells[BANDS + band] = w * r / (1.0 + r);
    }
    let total: f64 = cells.iter().sum();
    cells.map(|c| c / total)
}

/// Population per DeSO (in `county.desos` order) per sex × band cell, for one year:
/// the kommun total times `scale`, split by largest remainders so it adds up exactly.
pub fn population_of_year(county: &County, year: u16, scale: u64) -> Vec<[u64; 2 * BANDS]> {
    let mut out = vec![[0u64; 2 * BANDS]; county.desos.len()];
    for (ki, kommun) in KOMMUNER.iter().enumerate() {
        let members: Vec<usize> = (0..county.desos.len())
            .filter(|&d| county.desos.get(d).is_some_and(|x| x.kommun == ki))
            .collect();
        let size_total: f64 = members
            .iter()
            .filter_map(|&d| county.desos.get(d))
            .map(|d| d.size)
            .sum();
        let target = kommun_total(kommun, year) * scale;
        // (deso index, cell, exact share of target)
        let mut cells: Vec<(usize, usize, f64)> = Vec::with_capacity(members.len() * 2 * BANDS);
        for &d in &members {
            let Some(deso) = county.desos.get(d) else {
                continue;
            };
            let profile = age_sex_profile(deso, year);
            for (c, share) in profile.iter().enumerate() {
                cells.push((d, c, target as f64 * deso.size / size_total * share));
            }
        }
        let mut assigned = 0u64;
        let mut remainders: Vec<(f64, usize)> = Vec::with_capacity(cells.len());
        for (i, &(d, c, exact)) in cells.iter().enumerate() {
            let whole = exact.floor();
            if let Some(slot) = out.get_mut(d).and_then(|row| row.get_mut(c)) {
                *slot = whole as u64;
            }
            assigned += whole as u64;
            remainders.push((exact - whole, i));
        }
        // Largest remainders first; ties by position, so the order is fully determined.
        remainders.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for &(_, i) in remainders.iter().take((target - assigned) as usize) {
            if let Some(&(d, c, _)) = cells.get(i) {
                if let Some(slot) = out.get_mut(d).and_then(|row| row.get_mut(c)) {
                    *slot += 1;
                }
            }
        }
    }
    out
}

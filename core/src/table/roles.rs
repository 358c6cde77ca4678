//! Column roles: what a column means to Samsyn (the kommun code, the population, …), suggested
//! from Swedish and English header names and confirmed or changed by the user.
//!
//! Roles are resolved once, when a file is read, so that nothing downstream compares header
//! strings.

use serde::{Deserialize, Serialize};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// County code (2 digits, e.g. 24).
    Lan,
    /// Municipality code (4 digits, e.g. 2480).
    Kommun,
    /// Municipality name.
    KommunName,
    /// DeSO small-area code (e.g. 2480C1010).
    Deso,
    /// Health centre / care provider.
    Provider,
    Team,
    Year,
    /// A period other than a year: month, quarter, half-year.
    Period,
    Date,
    Sex,
    Age,
    AgeBand,
    /// A number of events or persons.
    Count,
    Population,
    Value,
    EventType,
    Cause,
    PersonId,
    EventId,
}

impl Role {
    /// Every role, in the order the UI lists them.
    pub const ALL: [Role; 19] = [
        Role::Lan,
        Role::Kommun,
        Role::KommunName,
        Role::Deso,
        Role::Provider,
        Role::Team,
        Role::Year,
        Role::Period,
        Role::Date,
        Role::Sex,
        Role::Age,
        Role::AgeBand,
        Role::Count,
        Role::Population,
        Role::Value,
        Role::EventType,
        Role::Cause,
        Role::PersonId,
        Role::EventId,
    ];

    /// The role's name in JSON and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Role::Lan => "lan",
            Role::Kommun => "kommun",
            Role::KommunName => "kommun_name",
            Role::Deso => "deso",
            Role::Provider => "provider",
            Role::Team => "team",
            Role::Year => "year",
            Role::Period => "period",
            Role::Date => "date",
            Role::Sex => "sex",
            Role::Age => "age",
            Role::AgeBand => "age_band",
            Role::Count => "count",
            Role::Population => "population",
            Role::Value => "value",
            Role::EventType => "event_type",
            Role::Cause => "cause",
            Role::PersonId => "person_id",
            Role::EventId => "event_id",
        }
    }

    /// The role's name in the English UI.
    pub fn label_en(self) -> &'static str {
        match self {
            Role::Lan => "County (län)",
            Role::Kommun => "Municipality (kommun)",
            Role::KommunName => "Municipality name",
            Role::Deso => "DeSO area",
            Role::Provider => "Health centre/provider",
            Role::Team => "Team",
            Role::Year => "Year",
            Role::Period => "Period",
            Role::Date => "Date",
            Role::Sex => "Sex",
            Role::Age => "Age",
            Role::AgeBand => "Age band",
            Role::Count => "Count",
            Role::Population => "Population",
            Role::Value => "Value",
            Role::EventType => "Event type",
            Role::Cause => "Cause",
            Role::PersonId => "Person id",
            Role::EventId => "Event id",
        }
    }

    /// The role's name in the Swedish UI.
    pub fn label_sv(self) -> &'static str {
        match self {
            Role::Lan => "Län",
            Role::Kommun => "Kommun",
            Role::KommunName => "Kommunnamn",
            Role::Deso => "DeSO",
            Role::Provider => "Vårdcentral/utförare",
            Role::Team => "Team",
            Role::Year => "År",
            Role::Period => "Period",
            Role::Date => "Datum",
            Role::Sex => "Kön",
            Role::Age => "Ålder",
            Role::AgeBand => "Åldersgrupp",
            Role::Count => "Antal",
            Role::Population => "Befolkning",
            Role::Value => "Värde",
            Role::EventType => "Händelsetyp",
            Role::Cause => "Orsak",
            Role::PersonId => "Person-id",
            Role::EventId => "Händelse-id",
        }
    }
}

/// Header names (normalised: lower case, å/ä→a, ö→o, separators removed) and their roles.
const NAMES: &[(&str, Role)] = &[
    ("lan", Role::Lan),
    ("lanskod", Role::Lan),
    ("region", Role::Lan),
    ("regionkod", Role::Lan),
    ("county", Role::Lan),
    ("kommun", Role::Kommun),
    ("kommunkod", Role::Kommun),
    ("kommunnr", Role::Kommun),
    ("kommunnummer", Role::Kommun),
    ("kom", Role::Kommun),
    ("kn", Role::Kommun),
    ("municipality", Role::Kommun),
    ("municipalitycode", Role::Kommun),
    ("kommunnamn", Role::KommunName),
    ("kommunname", Role::KommunName),
    ("municipalityname", Role::KommunName),
    ("deso", Role::Deso),
    ("desokod", Role::Deso),
    ("desocode", Role::Deso),
    ("vardcentral", Role::Provider),
    ("halsocentral", Role::Provider),
    ("vc", Role::Provider),
    ("hc", Role::Provider),
    ("utforare", Role::Provider),
    ("vardenhet", Role::Provider),
    ("enhet", Role::Provider),
    ("provider", Role::Provider),
    ("healthcentre", Role::Provider),
    ("healthcenter", Role::Provider),
    ("team", Role::Team),
    ("ar", Role::Year),
    ("year", Role::Year),
    ("period", Role::Period),
    ("manad", Role::Period),
    ("month", Role::Period),
    ("kvartal", Role::Period),
    ("quarter", Role::Period),
    ("datum", Role::Date),
    ("date", Role::Date),
    ("kon", Role::Sex),
    ("sex", Role::Sex),
    ("gender", Role::Sex),
    ("alder", Role::Age),
    ("age", Role::Age),
    ("aldersgrupp", Role::AgeBand),
    ("aldersklass", Role::AgeBand),
    ("agegroup", Role::AgeBand),
    ("ageband", Role::AgeBand),
    ("antal", Role::Count),
    ("count", Role::Count),
    ("n", Role::Count),
    ("befolkning", Role::Population),
    ("folkmangd", Role::Population),
    ("population", Role::Population),
    ("invanare", Role::Population),
    ("varde", Role::Value),
    ("value", Role::Value),
    ("handelse", Role::EventType),
    ("handelsetyp", Role::EventType),
    ("eventtype", Role::EventType),
    ("typ", Role::EventType),
    ("type", Role::EventType),
    ("orsak", Role::Cause),
    ("cause", Role::Cause),
    ("personid", Role::PersonId),
    ("lopnr", Role::PersonId),
    ("patientid", Role::PersonId),
    ("eventid", Role::EventId),
    ("handelseid", Role::EventId),
    // Names seen in regions' extracts and SCB/PxWeb tables.
    ("lansnr", Role::Lan),
    ("lannr", Role::Lan),
    ("kommunid", Role::Kommun),
    ("kommunkod4", Role::Kommun),
    ("knkod", Role::Kommun),
    ("municipalityid", Role::Kommun),
    ("kommunnamnet", Role::KommunName),
    ("knnamn", Role::KommunName),
    ("deso2018", Role::Deso),
    ("deso2025", Role::Deso),
    ("desoid", Role::Deso),
    ("desoomrade", Role::Deso),
    ("vardcentralnamn", Role::Provider),
    ("vardcentralkod", Role::Provider),
    ("halsocentralnamn", Role::Provider),
    ("mottagning", Role::Provider),
    ("listningsenhet", Role::Provider),
    ("vardgivare", Role::Provider),
    ("hsaid", Role::Provider),
    ("arbetslag", Role::Team),
    ("kommundel", Role::Team),
    ("aret", Role::Year),
    ("artal", Role::Year),
    ("tid", Role::Period),
    ("armanad", Role::Period),
    ("vecka", Role::Period),
    ("halvar", Role::Period),
    ("tertial", Role::Period),
    ("besoksdatum", Role::Date),
    ("kontaktdatum", Role::Date),
    ("handelsedatum", Role::Date),
    ("inskrivningsdatum", Role::Date),
    ("eventdate", Role::Date),
    ("kontaktdag", Role::Date),
    ("kon1man2kvinna", Role::Sex),
    ("konskod", Role::Sex),
    ("alderar", Role::Age),
    ("alderiar", Role::Age),
    ("ageyears", Role::Age),
    ("aldersintervall", Role::AgeBand),
    ("aldersgrupper", Role::AgeBand),
    ("antalbesok", Role::Count),
    ("antalhandelser", Role::Count),
    ("antalpersoner", Role::Count),
    ("antalpatienter", Role::Count),
    ("events", Role::Count),
    ("folkmangd31dec", Role::Population),
    ("befolkning31dec", Role::Population),
    ("antalinvanare", Role::Population),
    ("medelfolkmangd", Role::Population),
    ("listade", Role::Population),
    ("antallistade", Role::Population),
    ("andel", Role::Value),
    ("procent", Role::Value),
    ("kvot", Role::Value),
    ("rate", Role::Value),
    ("matvarde", Role::Value),
    ("utfall", Role::Value),
    ("kontakttyp", Role::EventType),
    ("besokstyp", Role::EventType),
    ("vardkontakttyp", Role::EventType),
    ("diagnos", Role::Cause),
    ("diagnoskod", Role::Cause),
    ("huvuddiagnos", Role::Cause),
    ("icd10", Role::Cause),
    ("icd", Role::Cause),
    ("personnummer", Role::PersonId),
    ("pnr", Role::PersonId),
    ("lopnummer", Role::PersonId),
    ("individid", Role::PersonId),
    ("kontaktid", Role::EventId),
    ("besoksid", Role::EventId),
];

/// Lower case, Swedish letters folded to ASCII, separators dropped: "Kommun-kod" → "kommunkod".
pub fn normalise_header(name: &str) -> String {
    name.trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            'å' | 'ä' | 'à' | 'á' => Some('a'),
            'ö' | 'ø' => Some('o'),
            'é' | 'è' => Some('e'),
            ' ' | '_' | '-' | '.' | '/' | '(' | ')' | ',' | ':' | '\u{a0}' => None,
            c => Some(c),
        })
        .collect()
}

/// The role a header name suggests, if any.
///
/// ```
/// use samsyn_core::table::roles::{suggest_role, Role};
/// assert_eq!(suggest_role("Kommunkod"), Some(Role::Kommun));
/// assert_eq!(suggest_role("Ålder"), Some(Role::Age));
/// assert_eq!(suggest_role("colour"), None);
/// ```
pub fn suggest_role(header: &str) -> Option<Role> {
    let n = normalise_header(header);
    NAMES
        .iter()
        .find(|(name, _)| *name == n)
        .map(|&(_, role)| role)
}

/// Header names that say the column holds kommun codes, not names.
const KOMMUN_CODE_NAMES: [&str; 9] = [
    "kommunkod",
    "kommunnr",
    "kommunnummer",
    "kommunid",
    "kommunkod4",
    "knkod",
    "kn",
    "municipalitycode",
    "municipalityid",
];

/// The roles a whole header suggests: each name's suggestion, except that beside a column named
/// as kommun codes (`Kommunkod`), a plain `Kommun` column holds the kommun's name (issue 10:
/// SCB's and the regions' extracts often have both).
///
/// ```
/// use samsyn_core::table::roles::{suggest_roles, Role};
/// assert_eq!(
///     suggest_roles(&["Kommunkod", "Kommun", "Antal"]),
///     [Some(Role::Kommun), Some(Role::KommunName), Some(Role::Count)]
/// );
/// assert_eq!(suggest_roles(&["Kommun", "Antal"]), [Some(Role::Kommun), Some(Role::Count)]);
/// ```
pub fn suggest_roles<S: AsRef<str>>(headers: &[S]) -> Vec<Option<Role>> {
    let normalised: Vec<String> = headers
        .iter()
        .map(|h| normalise_header(h.as_ref()))
        .collect();
    let has_code_column = normalised
        .iter()
        .any(|n| KOMMUN_CODE_NAMES.contains(&n.as_str()));
    normalised
        .iter()
        .map(|n| {
            let role = NAMES.iter().find(|(name, _)| name == n).map(|&(_, r)| r);
            match role {
                Some(Role::Kommun)
                    if has_code_column && !KOMMUN_CODE_NAMES.contains(&n.as_str()) =>
                {
                    Some(Role::KommunName)
                }
                r => r,
            }
        })
        .collect()
}

/// The index of the first column whose header suggests `role` (in the context of the whole
/// header, see [`suggest_roles`]).
pub fn find_column<S: AsRef<str>>(headers: &[S], role: Role) -> Option<usize> {
    suggest_roles(headers).iter().position(|r| *r == Some(role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_and_unique() {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in NAMES {
            assert_eq!(normalise_header(name), *name, "{name} is not normalised");
            assert!(seen.insert(*name), "{name} is listed twice");
        }
    }

    #[test]
    fn extract_headers() {
        assert_eq!(suggest_role("Ålder (år)"), Some(Role::Age));
        assert_eq!(suggest_role("DeSO 2018"), Some(Role::Deso));
        assert_eq!(suggest_role("Folkmängd 31 dec"), Some(Role::Population));
        assert_eq!(suggest_role("Huvuddiagnos"), Some(Role::Cause));
    }

    #[test]
    fn issue_10_kommun_names_beside_kommun_codes() {
        let headers = ["Kommunkod", "Kommun", "Befolkning"];
        assert_eq!(find_column(&headers, Role::Kommun), Some(0));
        assert_eq!(find_column(&headers, Role::KommunName), Some(1));
        let c = RoleChoices::default();
        assert_eq!(c.find(&headers, Role::Kommun), Some(0));
        assert_eq!(
            c.roles_of(&headers),
            [
                Some(Role::Kommun),
                Some(Role::KommunName),
                Some(Role::Population)
            ]
        );
        // Alone, `Kommun` is still the code column.
        assert_eq!(
            find_column(&["Kommun", "Befolkning"], Role::Kommun),
            Some(0)
        );
    }

    #[test]
    fn choices_override_suggestions() {
        let headers = ["kod", "kommun", "antal"];
        let mut c = RoleChoices::default();
        assert_eq!(c.find(&headers, Role::Kommun), Some(1));
        c.set("kod", Some(Role::Kommun));
        assert_eq!(c.find(&headers, Role::Kommun), Some(0));
        assert_eq!(c.role_of("kod"), Some(Role::Kommun));
        // Taking the role away from `kod` leaves the suggestion for `kommun` in force again.
        c.set("kod", None);
        assert_eq!(c.find(&headers, Role::Kommun), Some(1));
        c.set("kommun", None);
        assert_eq!(c.find(&headers, Role::Kommun), None);
        assert_eq!(c.role_of("antal"), Some(Role::Count));
    }
}

/// The user's choices of roles, by column name, over the suggestions: a column may be given a
/// role its name does not suggest, or have a wrongly suggested role taken away (`None`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChoices {
    choices: Vec<(String, Option<Role>)>,
}

impl RoleChoices {
    /// Sets the role of the column `name` (`None`: no role), replacing an earlier choice. A role
    /// belongs to one column at a time: another column chosen for it loses it.
    pub fn set(&mut self, name: &str, role: Option<Role>) {
        self.choices
            .retain(|(n, r)| n != name && (role.is_none() || *r != role));
        self.choices.push((name.to_owned(), role));
    }

    /// The role of a column: the user's choice, else the suggestion from its name.
    pub fn role_of(&self, name: &str) -> Option<Role> {
        match self.choices.iter().find(|(n, _)| n == name) {
            Some(&(_, role)) => role,
            None => suggest_role(name),
        }
    }

    /// The roles of a whole header: the user's choices, else the header's suggestions
    /// ([`suggest_roles`]).
    pub fn roles_of<S: AsRef<str>>(&self, headers: &[S]) -> Vec<Option<Role>> {
        headers
            .iter()
            .zip(suggest_roles(headers))
            .map(
                |(h, suggested)| match self.choices.iter().find(|(n, _)| n == h.as_ref()) {
                    Some(&(_, role)) => role,
                    None => suggested,
                },
            )
            .collect()
    }

    /// The index of the column with `role`: a column chosen for it first, else the first whose
    /// name suggests it (and that was not given another role).
    pub fn find<S: AsRef<str>>(&self, headers: &[S], role: Role) -> Option<usize> {
        let chosen = self.choices.iter().find(|(_, r)| *r == Some(role));
        if let Some((name, _)) = chosen {
            return headers.iter().position(|h| h.as_ref() == name);
        }
        self.roles_of(headers).iter().position(|r| *r == Some(role))
    }

    pub fn is_empty(&self) -> bool {
        self.choices.is_empty()
    }
}

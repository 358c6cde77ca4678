//! Swedish area codes: län (county), kommun (municipality) and DeSO (small area), checked and,
//! where Excel dropped a leading zero, repaired.
//!
//! Source: SCB, "Kommunkoder och länskoder" (codes in force since 2007; the 21 län and their
//! two-digit codes) and SCB's DeSO description (kommun code, area type A/B/C, four digits).
//! The 290 kommun codes and names in [`KOMMUNER`] are SCB's, as published in the CC0 repository
//! `sjbrg/swedish-geodata` (`data/municipalities.csv`, 2025-01, "Statistics Sweden (SCB) via
//! Dataman"), short names (`Malung-Sälen`, not `Malung-Sälens kommun`); unchanged since
//! Knivsta (0330) and Nykvarn (0140) were formed in 2003 and Heby (0331) moved to Uppsala län in
//! 2007.

use std::borrow::Cow;

use crate::error::Message;

/// The 21 län codes and names (SCB).
pub const LAN: [(&str, &str); 21] = [
    ("01", "Stockholms län"),
    ("03", "Uppsala län"),
    ("04", "Södermanlands län"),
    ("05", "Östergötlands län"),
    ("06", "Jönköpings län"),
    ("07", "Kronobergs län"),
    ("08", "Kalmar län"),
    ("09", "Gotlands län"),
    ("10", "Blekinge län"),
    ("12", "Skåne län"),
    ("13", "Hallands län"),
    ("14", "Västra Götalands län"),
    ("17", "Värmlands län"),
    ("18", "Örebro län"),
    ("19", "Västmanlands län"),
    ("20", "Dalarnas län"),
    ("21", "Gävleborgs län"),
    ("22", "Västernorrlands län"),
    ("23", "Jämtlands län"),
    ("24", "Västerbottens län"),
    ("25", "Norrbottens län"),
];

/// Västerbotten's 15 kommuner (SCB codes), the county the sample data is modelled on: the
/// codes 2401–2482 of [`KOMMUNER`].
pub const VASTERBOTTEN_KOMMUNER: &[(&str, &str)] = KOMMUNER
    .as_slice()
    .split_at(VASTERBOTTEN_FIRST)
    .1
    .split_at(15)
    .0;
/// Where Västerbotten's kommuner start in [`KOMMUNER`] (2401 Nordmaling).
const VASTERBOTTEN_FIRST: usize = 261;

/// The name of a län code, if it is one.
pub fn lan_name(code: &str) -> Option<&'static str> {
    LAN.iter().find(|(c, _)| *c == code).map(|&(_, n)| n)
}

/// SCB's 290 kommun codes and names, sorted by code (see the module's source note).
pub const KOMMUNER: [(&str, &str); 290] = [
    ("0114", "Upplands Väsby"),
    ("0115", "Vallentuna"),
    ("0117", "Österåker"),
    ("0120", "Värmdö"),
    ("0123", "Järfälla"),
    ("0125", "Ekerö"),
    ("0126", "Huddinge"),
    ("0127", "Botkyrka"),
    ("0128", "Salem"),
    ("0136", "Haninge"),
    ("0138", "Tyresö"),
    ("0139", "Upplands-Bro"),
    ("0140", "Nykvarn"),
    ("0160", "Täby"),
    ("0162", "Danderyd"),
    ("0163", "Sollentuna"),
    ("0180", "Stockholm"),
    ("0181", "Södertälje"),
    ("0182", "Nacka"),
    ("0183", "Sundbyberg"),
    ("0184", "Solna"),
    ("0186", "Lidingö"),
    ("0187", "Vaxholm"),
    ("0188", "Norrtälje"),
    ("0191", "Sigtuna"),
    ("0192", "Nynäshamn"),
    ("0305", "Håbo"),
    ("0319", "Älvkarleby"),
    ("0330", "Knivsta"),
    ("0331", "Heby"),
    ("0360", "Tierp"),
    ("0380", "Uppsala"),
    ("0381", "Enköping"),
    ("0382", "Östhammar"),
    ("0428", "Vingåker"),
    ("0461", "Gnesta"),
    ("0480", "Nyköping"),
    ("0481", "Oxelösund"),
    ("0482", "Flen"),
    ("0483", "Katrineholm"),
    ("0484", "Eskilstuna"),
    ("0486", "Strängnäs"),
    ("0488", "Trosa"),
    ("0509", "Ödeshög"),
    ("0512", "Ydre"),
    ("0513", "Kinda"),
    ("0560", "Boxholm"),
    ("0561", "Åtvidaberg"),
    ("0562", "Finspång"),
    ("0563", "Valdemarsvik"),
    ("0580", "Linköping"),
    ("0581", "Norrköping"),
    ("0582", "Söderköping"),
    ("0583", "Motala"),
    ("0584", "Vadstena"),
    ("0586", "Mjölby"),
    ("0604", "Aneby"),
    ("0617", "Gnosjö"),
    ("0642", "Mullsjö"),
    ("0643", "Habo"),
    ("0662", "Gislaved"),
    ("0665", "Vaggeryd"),
    ("0680", "Jönköping"),
    ("0682", "Nässjö"),
    ("0683", "Värnamo"),
    ("0684", "Sävsjö"),
    ("0685", "Vetlanda"),
    ("0686", "Eksjö"),
    ("0687", "Tranås"),
    ("0760", "Uppvidinge"),
    ("0761", "Lessebo"),
    ("0763", "Tingsryd"),
    ("0764", "Alvesta"),
    ("0765", "Älmhult"),
    ("0767", "Markaryd"),
    ("0780", "Växjö"),
    ("0781", "Ljungby"),
    ("0821", "Högsby"),
    ("0834", "Torsås"),
    ("0840", "Mörbylånga"),
    ("0860", "Hultsfred"),
    ("0861", "Mönsterås"),
    ("0862", "Emmaboda"),
    ("0880", "Kalmar"),
    ("0881", "Nybro"),
    ("0882", "Oskarshamn"),
    ("0883", "Västervik"),
    ("0884", "Vimmerby"),
    ("0885", "Borgholm"),
    ("0980", "Gotland"),
    ("1060", "Olofström"),
    ("1080", "Karlskrona"),
    ("1081", "Ronneby"),
    ("1082", "Karlshamn"),
    ("1083", "Sölvesborg"),
    ("1214", "Svalöv"),
    ("1230", "Staffanstorp"),
    ("1231", "Burlöv"),
    ("1233", "Vellinge"),
    ("1256", "Östra Göinge"),
    ("1257", "Örkelljunga"),
    ("1260", "Bjuv"),
    ("1261", "Kävlinge"),
    ("1262", "Lomma"),
    ("1263", "Svedala"),
    ("1264", "Skurup"),
    ("1265", "Sjöbo"),
    ("1266", "Hörby"),
    ("1267", "Höör"),
    ("1270", "Tomelilla"),
    ("1272", "Bromölla"),
    ("1273", "Osby"),
    ("1275", "Perstorp"),
    ("1276", "Klippan"),
    ("1277", "Åstorp"),
    ("1278", "Båstad"),
    ("1280", "Malmö"),
    ("1281", "Lund"),
    ("1282", "Landskrona"),
    ("1283", "Helsingborg"),
    ("1284", "Höganäs"),
    ("1285", "Eslöv"),
    ("1286", "Ystad"),
    ("1287", "Trelleborg"),
    ("1290", "Kristianstad"),
    ("1291", "Simrishamn"),
    ("1292", "Ängelholm"),
    ("1293", "Hässleholm"),
    ("1315", "Hylte"),
    ("1380", "Halmstad"),
    ("1381", "Laholm"),
    ("1382", "Falkenberg"),
    ("1383", "Varberg"),
    ("1384", "Kungsbacka"),
    ("1401", "Härryda"),
    ("1402", "Partille"),
    ("1407", "Öckerö"),
    ("1415", "Stenungsund"),
    ("1419", "Tjörn"),
    ("1421", "Orust"),
    ("1427", "Sotenäs"),
    ("1430", "Munkedal"),
    ("1435", "Tanum"),
    ("1438", "Dals-Ed"),
    ("1439", "Färgelanda"),
    ("1440", "Ale"),
    ("1441", "Lerum"),
    ("1442", "Vårgårda"),
    ("1443", "Bollebygd"),
    ("1444", "Grästorp"),
    ("1445", "Essunga"),
    ("1446", "Karlsborg"),
    ("1447", "Gullspång"),
    ("1452", "Tranemo"),
    ("1460", "Bengtsfors"),
    ("1461", "Mellerud"),
    ("1462", "Lilla Edet"),
    ("1463", "Mark"),
    ("1465", "Svenljunga"),
    ("1466", "Herrljunga"),
    ("1470", "Vara"),
    ("1471", "Götene"),
    ("1472", "Tibro"),
    ("1473", "Töreboda"),
    ("1480", "Göteborg"),
    ("1481", "Mölndal"),
    ("1482", "Kungälv"),
    ("1484", "Lysekil"),
    ("1485", "Uddevalla"),
    ("1486", "Strömstad"),
    ("1487", "Vänersborg"),
    ("1488", "Trollhättan"),
    ("1489", "Alingsås"),
    ("1490", "Borås"),
    ("1491", "Ulricehamn"),
    ("1492", "Åmål"),
    ("1493", "Mariestad"),
    ("1494", "Lidköping"),
    ("1495", "Skara"),
    ("1496", "Skövde"),
    ("1497", "Hjo"),
    ("1498", "Tidaholm"),
    ("1499", "Falköping"),
    ("1715", "Kil"),
    ("1730", "Eda"),
    ("1737", "Torsby"),
    ("1760", "Storfors"),
    ("1761", "Hammarö"),
    ("1762", "Munkfors"),
    ("1763", "Forshaga"),
    ("1764", "Grums"),
    ("1765", "Årjäng"),
    ("1766", "Sunne"),
    ("1780", "Karlstad"),
    ("1781", "Kristinehamn"),
    ("1782", "Filipstad"),
    ("1783", "Hagfors"),
    ("1784", "Arvika"),
    ("1785", "Säffle"),
    ("1814", "Lekeberg"),
    ("1860", "Laxå"),
    ("1861", "Hallsberg"),
    ("1862", "Degerfors"),
    ("1863", "Hällefors"),
    ("1864", "Ljusnarsberg"),
    ("1880", "Örebro"),
    ("1881", "Kumla"),
    ("1882", "Askersund"),
    ("1883", "Karlskoga"),
    ("1884", "Nora"),
    ("1885", "Lindesberg"),
    ("1904", "Skinnskatteberg"),
    ("1907", "Surahammar"),
    ("1960", "Kungsör"),
    ("1961", "Hallstahammar"),
    ("1962", "Norberg"),
    ("1980", "Västerås"),
    ("1981", "Sala"),
    ("1982", "Fagersta"),
    ("1983", "Köping"),
    ("1984", "Arboga"),
    ("2021", "Vansbro"),
    ("2023", "Malung-Sälen"),
    ("2026", "Gagnef"),
    ("2029", "Leksand"),
    ("2031", "Rättvik"),
    ("2034", "Orsa"),
    ("2039", "Älvdalen"),
    ("2061", "Smedjebacken"),
    ("2062", "Mora"),
    ("2080", "Falun"),
    ("2081", "Borlänge"),
    ("2082", "Säter"),
    ("2083", "Hedemora"),
    ("2084", "Avesta"),
    ("2085", "Ludvika"),
    ("2101", "Ockelbo"),
    ("2104", "Hofors"),
    ("2121", "Ovanåker"),
    ("2132", "Nordanstig"),
    ("2161", "Ljusdal"),
    ("2180", "Gävle"),
    ("2181", "Sandviken"),
    ("2182", "Söderhamn"),
    ("2183", "Bollnäs"),
    ("2184", "Hudiksvall"),
    ("2260", "Ånge"),
    ("2262", "Timrå"),
    ("2280", "Härnösand"),
    ("2281", "Sundsvall"),
    ("2282", "Kramfors"),
    ("2283", "Sollefteå"),
    ("2284", "Örnsköldsvik"),
    ("2303", "Ragunda"),
    ("2305", "Bräcke"),
    ("2309", "Krokom"),
    ("2313", "Strömsund"),
    ("2321", "Åre"),
    ("2326", "Berg"),
    ("2361", "Härjedalen"),
    ("2380", "Östersund"),
    ("2401", "Nordmaling"),
    ("2403", "Bjurholm"),
    ("2404", "Vindeln"),
    ("2409", "Robertsfors"),
    ("2417", "Norsjö"),
    ("2418", "Malå"),
    ("2421", "Storuman"),
    ("2422", "Sorsele"),
    ("2425", "Dorotea"),
    ("2460", "Vännäs"),
    ("2462", "Vilhelmina"),
    ("2463", "Åsele"),
    ("2480", "Umeå"),
    ("2481", "Lycksele"),
    ("2482", "Skellefteå"),
    ("2505", "Arvidsjaur"),
    ("2506", "Arjeplog"),
    ("2510", "Jokkmokk"),
    ("2513", "Överkalix"),
    ("2514", "Kalix"),
    ("2518", "Övertorneå"),
    ("2521", "Pajala"),
    ("2523", "Gällivare"),
    ("2560", "Älvsbyn"),
    ("2580", "Luleå"),
    ("2581", "Piteå"),
    ("2582", "Boden"),
    ("2583", "Haparanda"),
    ("2584", "Kiruna"),
];

/// The name of a kommun code, if SCB has that kommun.
pub fn kommun_name(code: &str) -> Option<&'static str> {
    KOMMUNER
        .binary_search_by(|(c, _)| (*c).cmp(code))
        .ok()
        .and_then(|i| KOMMUNER.get(i))
        .map(|&(_, n)| n)
}

/// A checked kommun code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KommunCode<'a> {
    /// Four digits with a real län prefix.
    Valid(&'a str),
    /// Three digits: Excel read `0180` as the number 180. The code with its zero put back.
    Repaired(String),
}

impl KommunCode<'_> {
    pub fn as_str(&self) -> &str {
        match self {
            KommunCode::Valid(s) => s,
            KommunCode::Repaired(s) => s,
        }
    }
}

/// Checks a kommun code: four digits that are one of SCB's 290 codes. Three digits whose
/// zero-padded form is valid are repaired. The error says what is wrong, in words for the user.
pub fn check_kommun(value: &str) -> Result<KommunCode<'_>, String> {
    check_kommun_worded(value).map_err(|m| m.en)
}

/// [`check_kommun`] with the error worded in English and Swedish.
pub fn check_kommun_worded(value: &str) -> Result<KommunCode<'_>, Message> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Message::both(
            "the kommun code is missing",
            "kommunkoden saknas",
        ));
    }
    let not_a_code = || {
        Message::both(
            format!("'{v}' is not a kommun code (four digits, e.g. 2480)"),
            format!("'{v}' är ingen kommunkod (fyra siffror, t.ex. 2480)"),
        )
    };
    if !v.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_a_code());
    }
    let code: Cow<'_, str> = match v.len() {
        4 => Cow::Borrowed(v),
        3 => Cow::Owned(format!("0{v}")),
        _ => return Err(not_a_code()),
    };
    let lan = code.get(..2).unwrap_or_default();
    let Some(lan_name) = lan_name(lan) else {
        return Err(Message::both(
            format!("'{v}' is not a kommun code: no län has the code '{lan}'"),
            format!("'{v}' är ingen kommunkod: inget län har koden '{lan}'"),
        ));
    };
    if kommun_name(&code).is_none() {
        return Err(Message::both(
            format!("'{v}' is not a kommun code: SCB has no kommun '{code}' in {lan_name}"),
            format!("'{v}' är ingen kommunkod: SCB har ingen kommun '{code}' i {lan_name}"),
        ));
    }
    Ok(match code {
        Cow::Borrowed(c) => KommunCode::Valid(c),
        Cow::Owned(c) => KommunCode::Repaired(c),
    })
}

/// The warning for a kommun code whose leading zero Excel dropped, in both languages.
pub fn lost_leading_zero(value: &str, fixed: &str) -> Message {
    let v = value.trim();
    Message::both(
        format!("kommun code '{v}' lost its leading zero (Excel reads codes as numbers); read as {fixed}"),
        format!("kommunkoden '{v}' har tappat sin inledande nolla (Excel läser koder som tal); läst som {fixed}"),
    )
}

/// Checks a DeSO code: a kommun code, an area type `A`, `B` or `C`, and four digits
/// (e.g. `2480C1010`). Returns the kommun code it lies in.
pub fn check_deso(value: &str) -> Result<&str, String> {
    check_deso_worded(value).map_err(|m| m.en)
}

/// [`check_deso`] with the error worded in English and Swedish.
pub fn check_deso_worded(value: &str) -> Result<&str, Message> {
    let v = value.trim();
    let bytes = v.as_bytes();
    let well_formed = bytes.len() == 9
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && matches!(bytes[4], b'A' | b'B' | b'C')
        && bytes[5..].iter().all(u8::is_ascii_digit);
    if !well_formed {
        return Err(Message::both(
            format!("'{v}' is not a DeSO code (kommun code, A/B/C, four digits, e.g. 2480C1010)"),
            format!("'{v}' är ingen DeSO-kod (kommunkod, A/B/C, fyra siffror, t.ex. 2480C1010)"),
        ));
    }
    match check_kommun(&v[..4]) {
        Ok(_) => Ok(&v[..4]),
        Err(_) => Err(Message::both(
            format!(
                "'{v}' is not a DeSO code: '{}' is not a kommun code",
                &v[..4]
            ),
            format!("'{v}' är ingen DeSO-kod: '{}' är ingen kommunkod", &v[..4]),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kommun_codes() {
        assert_eq!(check_kommun("2480"), Ok(KommunCode::Valid("2480")));
        assert_eq!(check_kommun(" 0180 "), Ok(KommunCode::Valid("0180")));
        assert_eq!(check_kommun("180"), Ok(KommunCode::Repaired("0180".into())));
        assert_eq!(
            check_kommun("9980"),
            Err("'9980' is not a kommun code: no län has the code '99'".into())
        );
        assert_eq!(
            check_kommun("Umeå"),
            Err("'Umeå' is not a kommun code (four digits, e.g. 2480)".into())
        );
        assert_eq!(check_kommun(""), Err("the kommun code is missing".into()));
        // issue 10: a real län with a kommun SCB does not have.
        assert_eq!(
            check_kommun("2499"),
            Err(
                "'2499' is not a kommun code: SCB has no kommun '2499' in Västerbottens län".into()
            )
        );
    }

    #[test]
    fn scb_has_290_kommuner_each_in_a_known_lan() {
        assert_eq!(KOMMUNER.len(), 290);
        assert!(
            KOMMUNER.windows(2).all(|w| w[0].0 < w[1].0),
            "sorted and unique"
        );
        assert!(KOMMUNER.iter().all(|(c, _)| lan_name(&c[..2]).is_some()));
        assert_eq!(VASTERBOTTEN_KOMMUNER.len(), 15);
        assert!(VASTERBOTTEN_KOMMUNER
            .iter()
            .all(|(c, _)| c.starts_with("24")));
        assert_eq!(VASTERBOTTEN_KOMMUNER.first(), Some(&("2401", "Nordmaling")));
        assert_eq!(VASTERBOTTEN_KOMMUNER.last(), Some(&("2482", "Skellefteå")));
        assert_eq!(kommun_name("0180"), Some("Stockholm"));
        assert_eq!(kommun_name("2584"), Some("Kiruna"));
        assert_eq!(kommun_name("2499"), None);
    }

    #[test]
    fn deso_codes() {
        assert_eq!(check_deso("2480C1010"), Ok("2480"));
        assert!(check_deso("2480X1010").is_err());
        assert!(check_deso("9980C1010")
            .unwrap_err()
            .contains("'9980' is not a kommun code"));
    }
}

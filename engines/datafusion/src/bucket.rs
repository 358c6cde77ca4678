//! `samsyn_bucket(k1, k2, …)`: the part (0..N) a row goes to when a large source is aggregated
//! in parts ([`crate::aggregate_in_parts`]). Rows whose key texts are alike get the same part,
//! so exact duplicates and rows sharing a row id are always compared in one part. The hash is
//! FNV-1a over each key's UTF-8 bytes (a null and an empty text told apart), finished by
//! SplitMix64's mixer so that the parts are even; it only spreads rows, it decides no number.

use std::sync::Arc;

use datafusion::arrow::array::{Array, AsArray, UInt32Array};
use datafusion::arrow::compute::cast;
use datafusion::arrow::datatypes::DataType;
use datafusion::common::Result;
use datafusion::logical_expr::{
    ColumnarValue, ScalarFunctionArgs, ScalarUDFImpl, Signature, Volatility,
};

pub const FUNCTION: &str = "samsyn_bucket";
/// The column of the part, and the name of its folders (`samsyn_bucket=3/`).
pub const COLUMN: &str = "samsyn_bucket";

#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Bucket {
    buckets: u64,
    signature: Signature,
}

impl Bucket {
    pub fn new(buckets: u64) -> Bucket {
        Bucket {
            buckets: buckets.max(1),
            signature: Signature::variadic_any(Volatility::Immutable),
        }
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The part of one row's key texts (`None` a null).
pub fn part_of<'a>(keys: impl IntoIterator<Item = Option<&'a str>>, buckets: u64) -> u32 {
    let mut h = FNV_OFFSET;
    for k in keys {
        h = match k {
            // A text's length first, so that ("ab", "c") and ("a", "bc") differ.
            Some(t) => fnv(fnv(h, &(t.len() as u64).to_le_bytes()), t.as_bytes()),
            None => fnv(h, &[0xff; 9]),
        };
    }
    (mix(h) % buckets.max(1)) as u32
}

impl ScalarUDFImpl for Bucket {
    fn name(&self) -> &str {
        FUNCTION
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _: &[DataType]) -> Result<DataType> {
        Ok(DataType::UInt32)
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let texts = arrays
            .iter()
            .map(|a| cast(a, &DataType::Utf8))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let texts: Vec<_> = texts.iter().map(|a| a.as_string::<i32>()).collect();
        let parts: UInt32Array = (0..rows)
            .map(|i| {
                part_of(
                    texts
                        .iter()
                        .map(|t| if t.is_null(i) { None } else { Some(t.value(i)) }),
                    self.buckets,
                )
            })
            .collect::<Vec<u32>>()
            .into();
        Ok(ColumnarValue::Array(Arc::new(parts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alike_keys_share_a_part_and_parts_are_even() {
        assert_eq!(part_of([Some("17")], 8), part_of([Some("17")], 8));
        // Length-prefixed: the split between keys matters, and a null is not an empty text.
        let ab_c = (0..64)
            .filter(|&n| {
                part_of([Some("ab"), Some("c")], n + 2) == part_of([Some("a"), Some("bc")], n + 2)
            })
            .count();
        assert!(ab_c < 20, "{ab_c}");
        let mut counts = [0u32; 10];
        for id in 0..100_000 {
            counts[part_of([Some(id.to_string().as_str())], 10) as usize] += 1;
        }
        // Each of 10 parts within 3 % of 10 000 rows.
        assert!(
            counts.iter().all(|&c| (9_700..=10_300).contains(&c)),
            "{counts:?}"
        );
        assert!(
            part_of([None], 1000) != part_of([Some("")], 1000)
                || part_of([None], 997) != part_of([Some("")], 997)
        );
    }
}

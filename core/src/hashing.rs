//! A fast hash for the plans' interning tables: codes and values are hashed for every row.
//!
//! rustc's Fx hash (crate `rustc-hash`): several times faster than the standard SipHash on
//! short keys such as kommun codes, and SipHash's protection against crafted collisions buys
//! nothing for a user's own file.

/// Builds Fx hashers: `HashMap<K, V, FxBuild>`.
pub type FxBuild = rustc_hash::FxBuildHasher;

/// The bytes at each end of a file that [`file_fingerprint`] hashes: 64 KiB.
pub const FINGERPRINT_CHUNK: usize = 64 * 1024;

/// Identifies a file without reading it all (issue 11): its name, size, last-modified time
/// (milliseconds, when the shell knows it) and a hash of its first and last
/// [`FINGERPRINT_CHUNK`] bytes. A session reuses what it computed from a file with the same
/// fingerprint; an edited file changes its size, time or ends.
pub fn file_fingerprint(
    name: &str,
    size: u64,
    modified_ms: Option<u64>,
    head: &[u8],
    tail: &[u8],
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (name, size, modified_ms).hash(&mut h);
    let cut = |b: &'_ [u8], from_end: bool| -> Vec<u8> {
        let n = b.len().min(FINGERPRINT_CHUNK);
        if from_end {
            b[b.len() - n..].to_vec()
        } else {
            b[..n].to_vec()
        }
    };
    cut(head, false).hash(&mut h);
    cut(tail, true).hash(&mut h);
    h.finish()
}

/// [`file_fingerprint`] of a file held whole in memory.
pub fn bytes_fingerprint(name: &str, bytes: &[u8], modified_ms: Option<u64>) -> u64 {
    file_fingerprint(name, bytes.len() as u64, modified_ms, bytes, bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fingerprint_sees_the_name_size_time_and_both_ends_only() {
        let mut big = vec![b'a'; 3 * FINGERPRINT_CHUNK];
        let base = bytes_fingerprint("e.csv", &big, Some(1));
        assert_ne!(base, bytes_fingerprint("f.csv", &big, Some(1)));
        assert_ne!(base, bytes_fingerprint("e.csv", &big, Some(2)));
        big[0] = b'b';
        assert_ne!(base, bytes_fingerprint("e.csv", &big, Some(1)));
        big[0] = b'a';
        *big.last_mut().unwrap() = b'b';
        assert_ne!(base, bytes_fingerprint("e.csv", &big, Some(1)));
        *big.last_mut().unwrap() = b'a';
        // The middle is not read: the time and size tell an edited file.
        big[FINGERPRINT_CHUNK + 5] = b'b';
        assert_eq!(base, bytes_fingerprint("e.csv", &big, Some(1)));
    }
}

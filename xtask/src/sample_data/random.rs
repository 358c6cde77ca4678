//! Random numbers that never change: xoshiro256** seeded by SplitMix64, and an `exp` built
//! from exactly rounded arithmetic, so a seed gives the same files on every platform.
//!
//! Sources: Blackman & Vigna, "Scrambled linear pseudorandom number generators" (2018) and
//! the reference C code at <https://prng.di.unimi.it/>; Knuth, TAOCP vol. 2, for Poisson.

/// Stream tags: each part of the county draws from its own stream, so changing how events are
/// drawn does not move the areas or the survey.
pub const STREAM_AREAS: u64 = 1;
pub const STREAM_EVENTS: u64 = 3;
pub const STREAM_SURVEY: u64 = 4;
pub const STREAM_BAD_ROWS: u64 = 5;

/// SplitMix64 (Steele, Lea & Flood 2014), as in Vigna's reference code; seeds xoshiro.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** 1.0 (Blackman & Vigna 2018, <https://prng.di.unimi.it/xoshiro256starstar.c>).
pub struct Rng {
    pub s: [u64; 4],
}

impl Rng {
    /// An independent stream for one part of the county: the seed and a stream tag.
    pub fn stream(seed: u64, tag: u64) -> Rng {
        let mut st = seed ^ tag.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let s = [
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
        ];
        Rng { s }
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (n > 0), by the multiply-high method (bias below 2^-64 · n).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Approximately standard normal: Irwin–Hall sum of 12 uniforms, minus 6 (no ln, no cos).
    pub fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.uniform()).sum::<f64>() - 6.0
    }

    /// Poisson(λ) by Knuth's product of uniforms, in chunks of at most 30 (a sum of Poissons
    /// is Poisson), so large λ neither underflows nor loses precision.
    pub fn poisson(&mut self, lambda: f64) -> u64 {
        let mut rest = lambda;
        let mut total = 0;
        while rest > 0.0 {
            let chunk = if rest > 30.0 { 30.0 } else { rest };
            rest -= chunk;
            let limit = exp(-chunk);
            let mut p = self.uniform();
            while p > limit {
                total += 1;
                p *= self.uniform();
            }
        }
        total
    }

    pub fn binomial(&mut self, n: u64, p: f64) -> u64 {
        (0..n).filter(|_| self.bernoulli(p)).count() as u64
    }

    /// Geometric on 1, 2, …: the trial of the first success, mean `mean` (≥ 1), capped.
    pub fn length_of_stay(&mut self, mean: f64, cap: u32) -> u32 {
        let p = 1.0 / mean;
        let mut days = 1;
        while days < cap && !self.bernoulli(p) {
            days += 1;
        }
        days
    }

    /// An index drawn with the given (not necessarily normalised) weights.
    pub fn pick(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut u = self.uniform() * total;
        for (i, w) in weights.iter().enumerate() {
            if u < *w {
                return i;
            }
            u -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// e^x from +, −, ×, ÷ only (range reduction by ln 2, Taylor series to degree 20), so results
/// do not depend on the platform's libm. Relative error below 1e-15 for |x| < 700.
pub fn exp(x: f64) -> f64 {
    let k = (x / std::f64::consts::LN_2).round();
    let r = x - k * std::f64::consts::LN_2;
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..=20 {
        term *= r / f64::from(i);
        sum += term;
    }
    let (factor, steps) = if k >= 0.0 { (2.0, k) } else { (0.5, -k) };
    let mut scale = 1.0;
    let mut i = 0.0;
    while i < steps {
        scale *= factor;
        i += 1.0;
    }
    sum * scale
}

/// A bijective mix of 40-bit values (odd multiplications and xor-shifts modulo 2^40): turns a
/// structured person key into an unremarkable, stable person_id.
pub fn mix40(key: u64) -> u64 {
    const MASK: u64 = (1 << 40) - 1;
    let mut x = key & MASK;
    x = x.wrapping_mul(0x9E_3779_B97F) & MASK;
    x ^= x >> 21;
    x = x.wrapping_mul(0x5A_D3E4_C2A1) & MASK;
    x ^= x >> 19;
    x
}

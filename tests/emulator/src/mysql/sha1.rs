//! SHA-1 (FIPS 180-4) and the `mysql_native_password` scramble built on it. Hand-written to
//! keep the emulator free of new dependencies (the workspace lock file is shared); SHA-1 is only
//! used to check a password, as MySQL's own protocol demands.

/// SHA-1 digest of `data`.
pub fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [
        0x6745_2301,
        0xEFCD_AB89,
        0x98BA_DCFE,
        0x1032_5476,
        0xC3D2_E1F0,
    ];
    let bit_len = (data.len() as u64).wrapping_mul(8);
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&bit_len.to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i {
                0..=19 => ((b & c) | (!b & d), 0x5A82_7999),
                20..=39 => (b ^ c ^ d, 0x6ED9_EBA1),
                40..=59 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a
                .rotate_left(5)
                .wrapping_add(f)
                .wrapping_add(e)
                .wrapping_add(k)
                .wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, word) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&word.to_be_bytes());
    }
    out
}

/// The client's answer to `scramble` for `password`:
/// `SHA1(password) XOR SHA1(scramble + SHA1(SHA1(password)))`.
pub fn native_password_token(password: &[u8], scramble: &[u8]) -> [u8; 20] {
    let stage1 = sha1(password);
    let stage2 = sha1(&stage1);
    let mut salted = scramble.to_vec();
    salted.extend_from_slice(&stage2);
    let mask = sha1(&salted);
    let mut out = [0u8; 20];
    for i in 0..20 {
        out[i] = stage1[i] ^ mask[i];
    }
    out
}

/// Checks a `mysql_native_password` answer. An empty password is answered with no data.
pub fn verify_native_password(password: &str, scramble: &[u8], answer: &[u8]) -> bool {
    if password.is_empty() {
        return answer.is_empty();
    }
    answer == native_password_token(password.as_bytes(), scramble)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn matches_known_digests() {
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abc")),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
        assert_eq!(
            hex(&sha1(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        assert_eq!(
            hex(&sha1(&[b'a'; 1000])),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }

    #[test]
    fn checks_native_passwords() {
        let scramble = b"12345678901234567890";
        let token = native_password_token(b"secret", scramble);
        assert!(verify_native_password("secret", scramble, &token));
        assert!(!verify_native_password("other", scramble, &token));
        assert!(verify_native_password("", scramble, b""));
        assert!(!verify_native_password("", scramble, &token));
        assert!(!verify_native_password("secret", scramble, b""));
    }
}

//! Badges as Open Badges 3.0 `AchievementCredential`s (W3C Verifiable Credentials 2.0), signed
//! with the tenant's certificate key (docs/badges.md).
//!
//! The proof is embedded, a `DataIntegrityProof` with the cryptosuite `eddsa-jcs-2022` (W3C
//! Data Integrity EdDSA Cryptosuites v1.0, §3.3): SHA-256 of the JCS (RFC 8785) form of the
//! proof options, then of the credential, concatenated and signed with Ed25519; the signature
//! in base58btc multibase. The key is named as a `did:key`, so anyone can check a badge with
//! the credential alone. The same credential is offered as a VC-JWT (`alg: EdDSA`), the other
//! form Open Badges 3.0 names, for validators that read only JOSE.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The contexts of an Open Badges 3.0 credential.
pub const CONTEXT: [&str; 2] = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
];
pub const CRYPTOSUITE: &str = "eddsa-jcs-2022";

/// JSON in the JSON Canonicalization Scheme (RFC 8785): members sorted by their UTF-16 code
/// units, no spaces, strings escaped as ECMAScript does (serde_json's escaping is the same),
/// integers as written. Credentials here hold no fractions.
pub fn jcs(v: &Value) -> String {
    let mut out = String::new();
    write_jcs(v, &mut out);
    out
}

fn write_jcs(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut members: Vec<(&String, &Value)> = map.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_jcs(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_jcs(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// `did:key` of an Ed25519 public key: multicodec 0xed01 then the key, base58btc ("z6Mk…").
pub fn did_key(public: &VerifyingKey) -> String {
    let mut bytes = vec![0xed, 0x01];
    bytes.extend_from_slice(public.as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// The verification method of a `did:key`: the DID, `#`, its multibase key.
pub fn verification_method(public: &VerifyingKey) -> String {
    let did = did_key(public);
    let fragment = did.trim_start_matches("did:key:").to_string();
    format!("{did}#{fragment}")
}

fn hash_data(proof_options: &Value, document: &Value) -> Vec<u8> {
    let mut data = Sha256::digest(jcs(proof_options).as_bytes()).to_vec();
    data.extend_from_slice(&Sha256::digest(jcs(document).as_bytes()));
    data
}

/// `credential` with an embedded `eddsa-jcs-2022` proof made at `created` (RFC 3339), naming
/// the key as its `did:key`.
pub fn sign(credential: Value, key: &SigningKey, created: &str) -> Value {
    sign_as(
        credential,
        key,
        created,
        &verification_method(&key.verifying_key()),
    )
}

/// [`sign`] with a verification method of the caller's (the W3C test vector names an HTTPS
/// one). The proof carries the credential's `@context`, as §3.3.1 of the suite makes it.
fn sign_as(mut credential: Value, key: &SigningKey, created: &str, method: &str) -> Value {
    let mut proof = json!({
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    });
    if let Some(context) = credential.get("@context") {
        proof["@context"] = context.clone();
    }
    let signature = key.sign(&hash_data(&proof, &credential));
    proof["proofValue"] = Value::String(format!(
        "z{}",
        bs58::encode(signature.to_bytes()).into_string()
    ));
    credential["proof"] = proof;
    credential
}

/// Whether `signed` carries a valid `eddsa-jcs-2022` proof by `public`, naming it as its
/// `did:key`, for the assertion of what it states.
pub fn verify(signed: &Value, public: &VerifyingKey) -> bool {
    verify_as(signed, public, &verification_method(public))
}

fn verify_as(signed: &Value, public: &VerifyingKey, method: &str) -> bool {
    let Some(proof) = signed.get("proof").and_then(Value::as_object) else {
        return false;
    };
    let field = |k: &str| proof.get(k).and_then(Value::as_str);
    if field("type") != Some("DataIntegrityProof")
        || field("cryptosuite") != Some(CRYPTOSUITE)
        || field("proofPurpose") != Some("assertionMethod")
        || field("verificationMethod") != Some(method)
        || proof
            .get("@context")
            .is_some_and(|c| Some(c) != signed.get("@context"))
    {
        return false;
    }
    let Some(value) = proof
        .get("proofValue")
        .and_then(Value::as_str)
        .and_then(|v| v.strip_prefix('z'))
        .and_then(|v| bs58::decode(v).into_vec().ok())
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return false;
    };
    let mut document = signed.clone();
    if let Some(map) = document.as_object_mut() {
        map.remove("proof");
    }
    let mut options = Value::Object(proof.clone());
    if let Some(map) = options.as_object_mut() {
        map.remove("proofValue");
    }
    public
        .verify_strict(
            &hash_data(&options, &document),
            &Signature::from_bytes(&value),
        )
        .is_ok()
}

/// The credential as a VC-JWT in Open Badges 3.0's JSON Web Token Proof Format (§8.2): header
/// `{alg: EdDSA, typ: JWT, kid: <did:key URL>, jwk: <the public key>}`, claims `iss`, `jti`,
/// `nbf`, `sub` and `vc` (the credential with its embedded proof, made first as §8.2 asks).
pub fn jwt(signed: &Value, key: &SigningKey) -> String {
    let vc = signed.clone();
    let nbf = vc["validFrom"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
        .map_or(0, |t| t.timestamp());
    let public = key.verifying_key();
    let header = json!({"alg": "EdDSA", "typ": "JWT",
        "kid": verification_method(&public),
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(public.as_bytes())}});
    let claims = json!({"iss": vc["issuer"]["id"], "jti": vc["id"], "nbf": nbf,
        "sub": vc["credentialSubject"]["id"], "vc": vc});
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let signature = key.sign(signing_input.as_bytes());
    format!(
        "{signing_input}.{}",
        URL_SAFE_NO_PAD.encode(signature.to_bytes())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SigningKey {
        SigningKey::from_bytes(&[7u8; 32])
    }

    fn credential() -> Value {
        json!({
            "@context": CONTEXT,
            "id": "https://cakap.example/badges/abc",
            "type": ["VerifiableCredential", "AchievementCredential"],
            "issuer": {"id": did_key(&key().verifying_key()), "type": ["Profile"], "name": "BKPSDM"},
            "validFrom": "2026-12-07T01:00:00Z",
            "credentialSubject": {"type": ["AchievementSubject"],
                "achievement": {"id": "urn:x", "type": ["Achievement"], "name": "Pembelajar Perak \"<é>\"",
                    "criteria": {"narrative": "100 poin"}}}
        })
    }

    #[test]
    fn jcs_sorts_members_and_writes_no_spaces() {
        let v = json!({"b": [1, {"z": null, "a": true}], "a": "x\u{1}\n", "\u{fb01}": 1, "\u{10000}": 2});
        // U+10000 is the surrogate pair D800 DC00: before U+FB01 in UTF-16 order (RFC 8785
        // §3.2.3), though after it by code point.
        assert_eq!(
            jcs(&v),
            "{\"a\":\"x\\u0001\\n\",\"b\":[1,{\"a\":true,\"z\":null}],\"\u{10000}\":2,\"\u{fb01}\":1}"
        );
    }

    #[test]
    fn did_key_of_an_ed25519_key_starts_z6mk() {
        let did = did_key(&key().verifying_key());
        assert!(did.starts_with("did:key:z6Mk"), "{did}");
        assert!(verification_method(&key().verifying_key()).ends_with(&did[8..]));
    }

    #[test]
    fn a_signed_credential_checks_and_any_change_breaks_it() {
        let signed = sign(credential(), &key(), "2026-12-07T01:00:00Z");
        assert!(verify(&signed, &key().verifying_key()));
        // Key order and spacing do not matter: the proof is over the canonical form.
        let reparsed: Value =
            serde_json::from_str(&serde_json::to_string_pretty(&signed).expect("json"))
                .expect("parse");
        assert!(verify(&reparsed, &key().verifying_key()));
        let mut edited = signed.clone();
        edited["credentialSubject"]["achievement"]["name"] = json!("Pembelajar Emas");
        assert!(!verify(&edited, &key().verifying_key()));
        let mut moved = signed.clone();
        moved["proof"]["created"] = json!("2027-01-01T00:00:00Z");
        assert!(!verify(&moved, &key().verifying_key()));
        let other = SigningKey::from_bytes(&[8u8; 32]);
        assert!(!verify(&signed, &other.verifying_key()));
        let mut unsigned = signed;
        unsigned.as_object_mut().map(|m| m.remove("proof"));
        assert!(!verify(&unsigned, &key().verifying_key()));
    }

    #[test]
    fn the_jwt_form_verifies_with_the_same_key() {
        let signed = sign(credential(), &key(), "2026-12-07T01:00:00Z");
        let token = jwt(&signed, &key());
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let sig: [u8; 64] = URL_SAFE_NO_PAD
            .decode(parts[2])
            .expect("b64")
            .try_into()
            .expect("64");
        let input = format!("{}.{}", parts[0], parts[1]);
        assert!(
            key()
                .verifying_key()
                .verify_strict(input.as_bytes(), &Signature::from_bytes(&sig))
                .is_ok()
        );
        let claims: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).expect("b64")).expect("json");
        assert_eq!(claims["jti"], "https://cakap.example/badges/abc");
        assert_eq!(claims["nbf"], 1_796_605_200);
        assert_eq!(claims["vc"], signed);
    }

    /// The W3C vc-di-eddsa test vector for `eddsa-jcs-2022` (TestVectors/eddsa-jcs-2022 and
    /// keyPair.json): the same key and document give the same proof value, byte for byte.
    #[test]
    fn the_w3c_test_vector_signs_and_verifies() {
        let private = bs58::decode("3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq")
            .into_vec()
            .expect("base58");
        assert_eq!(&private[..2], &[0x80, 0x26], "ed25519-priv multicodec");
        let key = SigningKey::from_bytes(&private[2..].try_into().expect("32 bytes"));
        assert_eq!(
            did_key(&key.verifying_key()),
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
        let unsigned = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2",
                "https://www.w3.org/ns/credentials/examples/v2"],
            "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
            "type": ["VerifiableCredential", "AlumniCredential"],
            "name": "Alumni Credential",
            "description": "A minimum viable example of an Alumni Credential.",
            "issuer": "https://vc.example/issuers/5678",
            "validFrom": "2023-01-01T00:00:00Z",
            "credentialSubject": {"id": "did:example:abcdefgh",
                "alumniOf": "The School of Examples"}
        });
        let method =
            "https://vc.example/issuers/5678#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
        let signed = sign_as(unsigned, &key, "2023-02-24T23:36:38Z", method);
        assert_eq!(
            signed["proof"]["proofValue"],
            "z63t83Y53KfzJ5ZosfKTnqfMcKB2dmTrfjSaQjeNNjAD5srBowQfmWqeRb8rRjmeEuCBEsddF9LsVogtuTsijJKh4"
        );
        assert_eq!(signed["proof"]["@context"], signed["@context"]);
        assert!(verify_as(&signed, &key.verifying_key(), method));
    }
}

package jwtkeys_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/civicdatatrust/civictrust/adapters/crypto/jwtkeys"
	"github.com/civicdatatrust/civictrust/domain/identity"
	"github.com/civicdatatrust/civictrust/domain/kernel"
)

const (
	testIssuer   = "https://civictrust.test"
	testAudience = "civictrust-api"
	activeKID    = "20261126T005515Z-aaaaaa"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

type fixture struct {
	priv   ed25519.PrivateKey
	keys   *jwtkeys.KeySet
	issuer *jwtkeys.Issuer
}

func newFixture(t *testing.T) fixture {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := jwtkeys.NewKeySet(map[string]ed25519.PrivateKey{activeKID: priv}, "")
	if err != nil {
		t.Fatal(err)
	}
	return fixture{priv: priv, keys: keys, issuer: newIssuer(t, keys, testIssuer, testAudience)}
}

func newIssuer(t *testing.T, keys *jwtkeys.KeySet, iss, aud string) *jwtkeys.Issuer {
	t.Helper()
	is, err := jwtkeys.NewIssuer(keys, jwtkeys.IssuerOptions{Issuer: iss, Audience: aud, TTL: 15 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	return is
}

// validClaims are the claims Issue would write at now.
func validClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"iss": testIssuer,
		"aud": []string{testAudience},
		"sub": "user-1",
		"sid": "session-1",
		"jti": "0123456789abcdef0123456789abcdef",
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(15 * time.Minute).Unix(),
	}
}

// sign signs claims with EdDSA and the given kid header ("" for none).
func sign(t *testing.T, priv ed25519.PrivateKey, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, claims)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(priv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func b64(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func issue(t *testing.T, is *jwtkeys.Issuer, at time.Time) string {
	t.Helper()
	tok, _, err := is.Issue("user-1", "session-1", at)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestIssueAndVerify(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	issuedAt := now.Add(123 * time.Millisecond) // times keep whole seconds
	tok, expiresIn, err := f.issuer.Issue("user-1", "session-1", issuedAt)
	if err != nil {
		t.Fatal(err)
	}
	if expiresIn != 15*time.Minute {
		t.Fatalf("expiresIn = %s", expiresIn)
	}

	// Header: EdDSA with the active kid.
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q", tok)
	}
	var header, payload map[string]any
	decodePart(t, parts[0], &header)
	decodePart(t, parts[1], &payload)
	if header["alg"] != "EdDSA" || header["kid"] != activeKID {
		t.Fatalf("header %v", header)
	}
	for _, claim := range []string{"iss", "aud", "sub", "exp", "iat", "nbf", "jti", "sid"} {
		if _, ok := payload[claim]; !ok {
			t.Errorf("claim %s missing from %v", claim, payload)
		}
	}
	if jti, _ := payload["jti"].(string); !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(jti) {
		t.Errorf("jti %q is not 128 random bits in hex", jti)
	}

	for name, at := range map[string]time.Time{
		"at_issue":           issuedAt,
		"just_before_exp":    now.Add(15*time.Minute - time.Second),
		"in_the_same_second": now,
	} {
		c, err := f.issuer.Verify(tok, at)
		if err != nil {
			t.Fatalf("%s: Verify: %v", name, err)
		}
		if c.UserID != "user-1" || c.SessionID != "session-1" || c.TokenID != payload["jti"] ||
			!c.IssuedAt.Equal(now) || !c.ExpiresAt.Equal(now.Add(15*time.Minute)) {
			t.Fatalf("%s: claims %+v", name, c)
		}
	}

	// Two tokens never share a jti.
	other := issue(t, f.issuer, issuedAt)
	c1, _ := f.issuer.Verify(tok, now)
	c2, _ := f.issuer.Verify(other, now)
	if c1.TokenID == c2.TokenID {
		t.Fatal("two tokens share a jti")
	}
}

func decodePart(t *testing.T, part string, v any) {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(part)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)

	tests := []struct {
		name  string
		token func(t *testing.T) string
		at    time.Time // zero: now
	}{
		{"alg_none", func(t *testing.T) string {
			return b64(map[string]string{"alg": "none", "typ": "JWT"}) + "." + b64(validClaims()) + "."
		}, time.Time{}},
		{"alg_none_with_kid", func(t *testing.T) string {
			return b64(map[string]string{"alg": "none", "typ": "JWT", "kid": activeKID}) + "." + b64(validClaims()) + "."
		}, time.Time{}},
		{"alg_none_case_variant", func(t *testing.T) string {
			return b64(map[string]string{"alg": "None", "typ": "JWT", "kid": activeKID}) + "." + b64(validClaims()) + "."
		}, time.Time{}},
		{"hs256_signed_with_public_key", func(t *testing.T) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodHS256, validClaims())
			tok.Header["kid"] = activeKID
			pub, _ := f.keys.PublicKey(activeKID)
			s, err := tok.SignedString([]byte(pub))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, time.Time{}},
		{"hs256_signed_with_jwks_x", func(t *testing.T) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodHS256, validClaims())
			tok.Header["kid"] = activeKID
			pub, _ := f.keys.PublicKey(activeKID)
			s, err := tok.SignedString([]byte(base64.RawURLEncoding.EncodeToString(pub)))
			if err != nil {
				t.Fatal(err)
			}
			return s
		}, time.Time{}},
		{"bad_signature", func(t *testing.T) string {
			parts := strings.Split(issue(t, f.issuer, now), ".")
			sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
			sig[0] ^= 1
			return parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(sig)
		}, time.Time{}},
		{"empty_signature", func(t *testing.T) string {
			parts := strings.Split(issue(t, f.issuer, now), ".")
			return parts[0] + "." + parts[1] + "."
		}, time.Time{}},
		{"edited_payload", func(t *testing.T) string {
			parts := strings.Split(issue(t, f.issuer, now), ".")
			var payload map[string]any
			decodePart(t, parts[1], &payload)
			payload["sub"] = "admin"
			return parts[0] + "." + b64(payload) + "." + parts[2]
		}, time.Time{}},
		{"signed_by_a_key_not_in_the_set_under_a_known_kid", func(t *testing.T) string {
			return sign(t, stranger, activeKID, validClaims())
		}, time.Time{}},
		{"unknown_kid", func(t *testing.T) string {
			return sign(t, stranger, "20991231T000000Z-ffffff", validClaims())
		}, time.Time{}},
		{"missing_kid", func(t *testing.T) string {
			return sign(t, f.priv, "", validClaims())
		}, time.Time{}},
		{"non_string_kid", func(t *testing.T) string {
			tok := jwt.NewWithClaims(jwt.SigningMethodEdDSA, validClaims())
			tok.Header["kid"] = 42
			s, _ := tok.SignedString(f.priv)
			return s
		}, time.Time{}},
		{"expired", func(t *testing.T) string {
			return issue(t, f.issuer, now)
		}, now.Add(15*time.Minute + time.Second)},
		{"expired_exactly_at_exp", func(t *testing.T) string {
			return issue(t, f.issuer, now)
		}, now.Add(15 * time.Minute)},
		{"not_yet_valid", func(t *testing.T) string {
			c := validClaims()
			c["nbf"] = now.Add(time.Hour).Unix()
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
		{"issued_in_the_future", func(t *testing.T) string {
			return issue(t, f.issuer, now.Add(time.Minute))
		}, time.Time{}},
		{"wrong_audience", func(t *testing.T) string {
			return issue(t, newIssuer(t, f.keys, testIssuer, "another-api"), now)
		}, time.Time{}},
		{"missing_audience", func(t *testing.T) string {
			c := validClaims()
			delete(c, "aud")
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
		{"wrong_issuer", func(t *testing.T) string {
			return issue(t, newIssuer(t, f.keys, "https://evil.test", testAudience), now)
		}, time.Time{}},
		{"missing_exp", func(t *testing.T) string {
			c := validClaims()
			delete(c, "exp")
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
		{"missing_sub", func(t *testing.T) string {
			c := validClaims()
			delete(c, "sub")
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
		{"missing_sid", func(t *testing.T) string {
			c := validClaims()
			delete(c, "sid")
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
		{"missing_jti", func(t *testing.T) string {
			c := validClaims()
			delete(c, "jti")
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
		{"missing_iat", func(t *testing.T) string {
			c := validClaims()
			delete(c, "iat")
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
		{"string_exp", func(t *testing.T) string {
			c := validClaims()
			c["exp"] = "tomorrow"
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
		{"empty", func(t *testing.T) string { return "" }, time.Time{}},
		{"garbage", func(t *testing.T) string { return "not a token" }, time.Time{}},
		{"three_garbage_parts", func(t *testing.T) string { return "a.b.c" }, time.Time{}},
		{"oversized", func(t *testing.T) string {
			c := validClaims()
			c["pad"] = strings.Repeat("x", 8000)
			return sign(t, f.priv, activeKID, c)
		}, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			at := tc.at
			if at.IsZero() {
				at = now
			}
			c, err := f.issuer.Verify(tc.token(t), at)
			t.Logf("Verify: %v", err)
			if !errors.Is(err, identity.ErrInvalidToken) {
				t.Fatalf("Verify err = %v (claims %+v); want ErrInvalidToken", err, c)
			}
			if kernel.KindOf(err) != kernel.KindUnauthenticated {
				t.Fatalf("kind = %v; want unauthenticated", kernel.KindOf(err))
			}
			if err.Error() == identity.ErrInvalidToken.Error() {
				t.Fatalf("error %q lost its cause", err)
			}
		})
	}

	// Control: the hand-built valid claims do verify, so each case above fails
	// for its own reason.
	if _, err := f.issuer.Verify(sign(t, f.priv, activeKID, validClaims()), now); err != nil {
		t.Fatalf("hand-built valid token: %v", err)
	}
}

func TestLeewayToleratesClockSkew(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	lenient, err := jwtkeys.NewIssuer(f.keys, jwtkeys.IssuerOptions{Issuer: testIssuer, Audience: testAudience, Leeway: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	tok := issue(t, lenient, now)
	if _, err := lenient.Verify(tok, now.Add(15*time.Minute+10*time.Second)); err != nil {
		t.Fatalf("within leeway: %v", err)
	}
	if _, err := lenient.Verify(tok, now.Add(15*time.Minute+31*time.Second)); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("beyond leeway: %v", err)
	}
}

func TestRotationKeepsOldTokensValid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	keysA, err := jwtkeys.LoadOrCreate(dir, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	kidA := keysA.ActiveKID()
	tokA := issue(t, newIssuer(t, keysA, testIssuer, testAudience), t0)

	kidB, err := jwtkeys.GenerateKey(dir, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	keysAB, err := jwtkeys.LoadOrCreate(dir, "", t0.Add(time.Minute)) // a restart
	if err != nil {
		t.Fatal(err)
	}
	if keysAB.ActiveKID() != kidB {
		t.Fatalf("active = %s; want the new key %s", keysAB.ActiveKID(), kidB)
	}
	isAB := newIssuer(t, keysAB, testIssuer, testAudience)

	at := t0.Add(2 * time.Minute)
	if c, err := isAB.Verify(tokA, at); err != nil || c.UserID != "user-1" {
		t.Fatalf("token signed by the old key: %+v, %v", c, err)
	}
	tokB := issue(t, isAB, at)
	var header map[string]any
	decodePart(t, strings.Split(tokB, ".")[0], &header)
	if header["kid"] != kidB {
		t.Fatalf("new token kid %v; want %s", header["kid"], kidB)
	}
	if _, err := isAB.Verify(tokB, at); err != nil {
		t.Fatal(err)
	}
	// A replica that has not restarted yet does not know B.
	if _, err := newIssuer(t, keysA, testIssuer, testAudience).Verify(tokB, at); !errors.Is(err, identity.ErrInvalidToken) {
		t.Fatalf("old key set verified a token of an unknown key: %v", err)
	}
	// Rolling back to A still verifies B's tokens.
	keysBack, err := jwtkeys.LoadOrCreate(dir, kidA, at)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newIssuer(t, keysBack, testIssuer, testAudience).Verify(tokB, at); err != nil {
		t.Fatalf("rolled-back set: %v", err)
	}
}

func TestTokensVerifyWithTheJWKS(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tok := issue(t, f.issuer, now)
	var set struct {
		Keys []struct {
			Kid string `json:"kid"`
			X   string `json:"x"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(f.keys.JWKS(), &set); err != nil {
		t.Fatal(err)
	}
	_, err := jwt.Parse(tok, func(tk *jwt.Token) (any, error) {
		for _, k := range set.Keys {
			if k.Kid == tk.Header["kid"] {
				x, err := base64.RawURLEncoding.DecodeString(k.X)
				return ed25519.PublicKey(x), err
			}
		}
		return nil, errors.New("kid not in JWKS")
	}, jwt.WithValidMethods([]string{"EdDSA"}), jwt.WithTimeFunc(func() time.Time { return now }))
	if err != nil {
		t.Fatalf("a third party could not verify with the JWKS: %v", err)
	}
}

func TestNewIssuerValidates(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for name, tc := range map[string]struct {
		keys *jwtkeys.KeySet
		opts jwtkeys.IssuerOptions
	}{
		"nil_keys":        {nil, jwtkeys.IssuerOptions{Issuer: "i", Audience: "a"}},
		"no_issuer":       {f.keys, jwtkeys.IssuerOptions{Audience: "a"}},
		"no_audience":     {f.keys, jwtkeys.IssuerOptions{Issuer: "i"}},
		"negative_ttl":    {f.keys, jwtkeys.IssuerOptions{Issuer: "i", Audience: "a", TTL: -time.Second}},
		"negative_leeway": {f.keys, jwtkeys.IssuerOptions{Issuer: "i", Audience: "a", Leeway: -time.Second}},
	} {
		if _, err := jwtkeys.NewIssuer(tc.keys, tc.opts); err == nil {
			t.Errorf("%s: NewIssuer succeeded", name)
		}
	}
	is, err := jwtkeys.NewIssuer(f.keys, jwtkeys.IssuerOptions{Issuer: "i", Audience: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, ttl, err := is.Issue("u", "s", now); err != nil || ttl != jwtkeys.DefaultTTL {
		t.Fatalf("default TTL: %s, %v", ttl, err)
	}
	if _, _, err := is.Issue("", "s", now); err == nil {
		t.Fatal("Issue without a user id succeeded")
	}
}

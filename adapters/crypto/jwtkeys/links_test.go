package jwtkeys_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/crypto/jwtkeys"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
)

func newLinkSigner(t *testing.T, keys *jwtkeys.KeySet) *jwtkeys.LinkSigner {
	t.Helper()
	s, err := jwtkeys.NewLinkSigner(keys, testIssuer, testAudience)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

var link = datasetport.LinkClaims{DatasetID: "d0000000000000000000000a", Version: 3, UserID: "u0000000000000000000000b",
	SessionID: "s0000000000000000000000c", ExpiresAt: now.Add(5 * time.Minute)}

func TestLinkSigner(t *testing.T) {
	f := newFixture(t)
	s := newLinkSigner(t, f.keys)
	token, err := s.Sign(link, now)
	if err != nil {
		t.Fatal(err)
	}
	if strings.ContainsAny(token, "/+=?#&% ") {
		t.Errorf("token %q is not URL-safe", token)
	}

	t.Run("verifies_on_another_signer_with_the_same_keys", func(t *testing.T) {
		got, err := newLinkSigner(t, f.keys).Verify(token, now.Add(4*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		want := link
		want.ExpiresAt = link.ExpiresAt.Truncate(time.Second)
		if got.DatasetID != want.DatasetID || got.Version != want.Version || got.UserID != want.UserID ||
			got.SessionID != want.SessionID || !got.ExpiresAt.Equal(want.ExpiresAt) {
			t.Errorf("claims %+v, want %+v", got, want)
		}
	})
	t.Run("expired_is_expired", func(t *testing.T) {
		if _, err := s.Verify(token, now.Add(5*time.Minute)); !errors.Is(err, dataset.ErrLinkExpired) {
			t.Errorf("Verify at the expiry = %v, want ErrLinkExpired", err)
		}
	})
	t.Run("every_altered_character_is_invalid", func(t *testing.T) {
		for i := 0; i < len(token); i += 7 {
			if i+7 >= len(token) {
				i = len(token) - 1 // the last character, whose low bits no byte uses
			}
			if token[i] == '.' {
				continue
			}
			b := []byte(token)
			if b[i] == 'A' {
				b[i] = 'B'
			} else {
				b[i] = 'A'
			}
			if _, err := s.Verify(string(b), now); !errors.Is(err, dataset.ErrLinkInvalid) {
				t.Fatalf("token altered at %d verified: %v", i, err)
			}
		}
		// Every other last character, those that differ only in bits no byte
		// uses included.
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		for _, c := range alphabet {
			last := token[:len(token)-1] + string(c)
			if last == token {
				continue
			}
			if _, err := s.Verify(last, now); !errors.Is(err, dataset.ErrLinkInvalid) {
				t.Fatalf("token with the last character %q verified: %v", c, err)
			}
		}
		for _, bad := range []string{"", "x", token + "x", strings.Repeat("a", 5000), "a.b.c"} {
			if _, err := s.Verify(bad, now); !errors.Is(err, dataset.ErrLinkInvalid) {
				t.Errorf("Verify(%.20q) = %v, want ErrLinkInvalid", bad, err)
			}
		}
	})
	t.Run("a_link_of_other_keys_is_invalid", func(t *testing.T) {
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		keys, err := jwtkeys.NewKeySet(map[string]ed25519.PrivateKey{activeKID: other}, "")
		if err != nil {
			t.Fatal(err)
		}
		forged, err := newLinkSigner(t, keys).Sign(link, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Verify(forged, now); !errors.Is(err, dataset.ErrLinkInvalid) {
			t.Errorf("a link signed with another key under the same kid = %v, want ErrLinkInvalid", err)
		}
	})
	t.Run("an_access_token_is_no_link_and_a_link_no_access_token", func(t *testing.T) {
		access, _, err := f.issuer.Issue(link.UserID, link.SessionID, now)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Verify(access, now); !errors.Is(err, dataset.ErrLinkInvalid) {
			t.Errorf("an access token verified as a link: %v", err)
		}
		if _, err := f.issuer.Verify(token, now); err == nil {
			t.Error("a link verified as an access token")
		}
	})
	t.Run("incomplete_claims_are_not_signed", func(t *testing.T) {
		for _, c := range []datasetport.LinkClaims{
			{Version: 1, UserID: "u", SessionID: "s", ExpiresAt: now.Add(time.Minute)},
			{DatasetID: "d", UserID: "u", SessionID: "s", ExpiresAt: now.Add(time.Minute)},
			{DatasetID: "d", Version: 1, UserID: "u", SessionID: "s", ExpiresAt: now},
		} {
			if _, err := s.Sign(c, now); err == nil {
				t.Errorf("Sign(%+v) succeeded", c)
			}
		}
	})
}

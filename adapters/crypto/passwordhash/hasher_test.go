package passwordhash_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/civicdatatrust/civictrust/adapters/crypto/passwordhash"
)

var phcDefault = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func newDefault(t testing.TB) *passwordhash.Hasher {
	t.Helper()
	h, err := passwordhash.New(passwordhash.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHasher(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("round_trip_with_default_params", func(t *testing.T) {
		t.Parallel()
		h := newDefault(t)
		enc, err := h.Hash(ctx, "Correct horse 1")
		if err != nil {
			t.Fatal(err)
		}
		if !phcDefault.MatchString(enc) {
			t.Fatalf("encoding %q is not the expected PHC string", enc)
		}
		ok, rehash, err := h.Verify(ctx, "Correct horse 1", enc)
		if err != nil || !ok || rehash {
			t.Fatalf("Verify = %v, %v, %v; want true, false, nil", ok, rehash, err)
		}
		enc2, err := h.Hash(ctx, "Correct horse 1")
		if err != nil {
			t.Fatal(err)
		}
		if enc2 == enc {
			t.Fatal("two hashes of one password are equal: salt is not random")
		}
	})

	t.Run("wrong_password_does_not_verify", func(t *testing.T) {
		t.Parallel()
		h := passwordhash.NewInsecureFast()
		enc, err := h.Hash(ctx, "Secret123")
		if err != nil {
			t.Fatal(err)
		}
		for _, pw := range []string{"secret123", "Secret1234", "", "Secret12"} {
			ok, rehash, err := h.Verify(ctx, pw, enc)
			if err != nil || ok || rehash {
				t.Fatalf("Verify(%q) = %v, %v, %v; want false, false, nil", pw, ok, rehash, err)
			}
		}
	})

	t.Run("insecure_fast_uses_the_same_format", func(t *testing.T) {
		t.Parallel()
		enc, err := passwordhash.NewInsecureFast().Hash(ctx, "pw")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(enc, "$argon2id$v=19$m=64,t=1,p=1$") {
			t.Fatalf("encoding %q", enc)
		}
	})

	t.Run("other_params_verify_and_ask_for_rehash", func(t *testing.T) {
		t.Parallel()
		enc, err := passwordhash.NewInsecureFast().Hash(ctx, "Secret123")
		if err != nil {
			t.Fatal(err)
		}
		ok, rehash, err := newDefault(t).Verify(ctx, "Secret123", enc)
		if err != nil || !ok || !rehash {
			t.Fatalf("Verify = %v, %v, %v; want true, true, nil", ok, rehash, err)
		}
	})

	t.Run("reference_implementation_vectors_verify", func(t *testing.T) {
		t.Parallel()
		// From phc-winner-argon2 src/test.c (password "password", salt "somesalt").
		h := newDefault(t)
		for _, enc := range []string{
			"$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
			"$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
			"$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc",
		} {
			ok, rehash, err := h.Verify(ctx, "password", enc)
			if err != nil || !ok || !rehash {
				t.Errorf("Verify(%q) = %v, %v, %v; want true, true, nil", enc, ok, rehash, err)
			}
			if ok, _, _ := h.Verify(ctx, "differentpassword", enc); ok {
				t.Errorf("wrong password verified against %q", enc)
			}
		}
	})

	t.Run("bcrypt_hash_verifies_and_asks_for_rehash", func(t *testing.T) {
		t.Parallel()
		h := passwordhash.NewInsecureFast()
		b, err := bcrypt.GenerateFromPassword([]byte("Legacy123"), 4)
		if err != nil {
			t.Fatal(err)
		}
		// x/crypto writes $2a$; $2b$ and $2y$ (Python, PHP) compute the same hash.
		for _, prefix := range []string{"$2a$", "$2b$", "$2y$"} {
			enc := prefix + string(b[4:])
			ok, rehash, err := h.Verify(ctx, "Legacy123", enc)
			if err != nil || !ok || !rehash {
				t.Errorf("Verify(%s) = %v, %v, %v; want true, true, nil", prefix, ok, rehash, err)
			}
			ok, rehash, err = h.Verify(ctx, "legacy123", enc)
			if err != nil || ok || rehash {
				t.Errorf("Verify(%s, wrong) = %v, %v, %v; want false, false, nil", prefix, ok, rehash, err)
			}
		}
		// The PHP manual's password_verify example.
		ok, _, err := h.Verify(ctx, "rasmuslerdorf", "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a")
		if err != nil || !ok {
			t.Errorf("PHP $2y$ example: ok=%v err=%v", ok, err)
		}
	})

	t.Run("cancelled_context_is_returned", func(t *testing.T) {
		t.Parallel()
		h := passwordhash.NewInsecureFast()
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := h.Hash(cctx, "pw"); !errors.Is(err, context.Canceled) {
			t.Fatalf("Hash err = %v; want context.Canceled", err)
		}
		enc, _ := h.Hash(ctx, "pw")
		if _, _, err := h.Verify(cctx, "pw", enc); !errors.Is(err, context.Canceled) {
			t.Fatalf("Verify err = %v; want context.Canceled", err)
		}
	})

	t.Run("dummy_verify_returns", func(t *testing.T) {
		t.Parallel()
		newDefault(t).DummyVerify(ctx, "anything")
	})
}

func TestVerifyMalformed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	h := passwordhash.NewInsecureFast()
	valid, err := h.Hash(ctx, "pw")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(valid, "$") // "", argon2id, v=19, m=..., salt, key
	salt, key := parts[4], parts[5]
	join := func(p ...string) string { return strings.Join(p, "$") }

	tests := map[string]string{
		"empty":                 "",
		"plain_text":            "pw",
		"only_prefix":           "$argon2id$",
		"argon2i":               join("", "argon2i", "v=19", "m=64,t=1,p=1", salt, key),
		"argon2d":               join("", "argon2d", "v=19", "m=64,t=1,p=1", salt, key),
		"old_version":           join("", "argon2id", "v=16", "m=64,t=1,p=1", salt, key),
		"missing_version":       join("", "argon2id", "m=64,t=1,p=1", salt, key),
		"missing_key":           join("", "argon2id", "v=19", "m=64,t=1,p=1", salt),
		"empty_key":             join("", "argon2id", "v=19", "m=64,t=1,p=1", salt, ""),
		"extra_field":           valid + "$x",
		"params_out_of_order":   join("", "argon2id", "v=19", "t=1,m=64,p=1", salt, key),
		"extra_param":           join("", "argon2id", "v=19", "m=64,t=1,p=1,k=2", salt, key),
		"signed_param":          join("", "argon2id", "v=19", "m=+64,t=1,p=1", salt, key),
		"negative_param":        join("", "argon2id", "v=19", "m=-64,t=1,p=1", salt, key),
		"zero_time":             join("", "argon2id", "v=19", "m=64,t=0,p=1", salt, key),
		"zero_threads":          join("", "argon2id", "v=19", "m=64,t=1,p=0", salt, key),
		"threads_overflow":      join("", "argon2id", "v=19", "m=64,t=1,p=256", salt, key),
		"memory_overflow":       join("", "argon2id", "v=19", "m=99999999999,t=1,p=1", salt, key),
		"memory_too_large":      join("", "argon2id", "v=19", "m=4194304,t=1,p=1", salt, key),
		"memory_below_8p":       join("", "argon2id", "v=19", "m=7,t=1,p=1", salt, key),
		"time_too_large":        join("", "argon2id", "v=19", "m=64,t=100000,p=1", salt, key),
		"bad_base64_salt":       join("", "argon2id", "v=19", "m=64,t=1,p=1", "!!!!", key),
		"padded_salt":           join("", "argon2id", "v=19", "m=64,t=1,p=1", salt+"==", key),
		"url_base64_key":        join("", "argon2id", "v=19", "m=64,t=1,p=1", salt, strings.NewReplacer("+", "-", "/", "_").Replace(key)+"-_"),
		"short_salt":            join("", "argon2id", "v=19", "m=64,t=1,p=1", "c2FsdA", key),
		"short_key":             join("", "argon2id", "v=19", "m=64,t=1,p=1", salt, "c2hvcnQ"),
		"bcrypt_truncated":      "$2a$04$abc",
		"bcrypt_bad_cost":       "$2a$xx$" + strings.Repeat("a", 53),
		"bcrypt_cost_too_high":  "$2a$31$" + strings.Repeat("a", 53),
		"bcrypt_unknown_minor":  "$2x$04$" + strings.Repeat("a", 53),
		"unknown_scheme":        "$pbkdf2-sha256$29000$abc$def",
		"nul_bytes":             "$argon2id$\x00\x00",
		"unicode":               "$argon2id$v=19$m=６４,t=1,p=1$" + salt + "$" + key,
		"whitespace_around":     " " + valid + " ",
		"only_dollars":          "$$$$$",
		"valid_prefix_no_rest":  "$2b$",
		"bcrypt_no_hash_at_all": "$2y$04$",
	}
	for name, enc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ok, rehash, err := h.Verify(ctx, "pw", enc)
			if ok || rehash || err != nil {
				t.Fatalf("Verify(%q) = %v, %v, %v; want false, false, nil", enc, ok, rehash, err)
			}
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string]passwordhash.Options{
		"negative_concurrency": {Concurrency: -1},
		"huge_memory":          {Params: passwordhash.Params{Memory: 1 << 30}},
		"short_salt":           {Params: passwordhash.Params{SaltLength: 4}},
		"short_key":            {Params: passwordhash.Params{KeyLength: 8}},
	} {
		if _, err := passwordhash.New(opts); err == nil {
			t.Errorf("%s: New succeeded", name)
		}
	}
	h, err := passwordhash.New(passwordhash.Options{Params: passwordhash.Params{Time: 3}})
	if err != nil {
		t.Fatal(err)
	}
	want := passwordhash.DefaultParams()
	want.Time = 3
	if h.Params() != want {
		t.Fatalf("Params() = %+v; want %+v (zero fields defaulted)", h.Params(), want)
	}
}

// BenchmarkVerify measures the raw argon2id verify rate with the default
// parameters and a pool of runtime.NumCPU() slots, the ceiling for login
// throughput.
func BenchmarkVerify(b *testing.B) {
	ctx := context.Background()
	h := newDefault(b)
	enc, err := h.Hash(ctx, "Benchmark123")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ok, _, err := h.Verify(ctx, "Benchmark123", enc)
			if err != nil || !ok {
				b.Errorf("Verify = %v, %v", ok, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

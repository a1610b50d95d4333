package jwtkeys_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/civicdatatrust/civictrust/adapters/crypto/jwtkeys"
)

var t0 = time.Date(2026, 11, 26, 0, 55, 15, 0, time.UTC)

var generatedKID = regexp.MustCompile(`^20261126T005515Z-[0-9a-f]{6}$`)

// pemFiles lists the .pem files of dir.
func pemFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// writeKey writes an Ed25519 key as dir/<kid>.pem and returns it.
func writeKey(t *testing.T, dir, kid string) ed25519.PrivateKey {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, kid+".pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	return priv
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestLoadOrCreate(t *testing.T) {
	t.Parallel()

	t.Run("missing_folder_gets_one_generated_key", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "keys")
		ks, err := jwtkeys.LoadOrCreate(dir, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		if !generatedKID.MatchString(ks.ActiveKID()) {
			t.Fatalf("kid %q does not look like 20261126T005515Z-xxxxxx", ks.ActiveKID())
		}
		files := pemFiles(t, dir)
		if len(files) != 1 || filepath.Base(files[0]) != ks.ActiveKID()+".pem" {
			t.Fatalf("files = %v", files)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 1 {
			t.Fatalf("leftover files in the key folder: %v", entries)
		}
		if runtime.GOOS != "windows" {
			assertMode(t, dir, 0o700)
			assertMode(t, files[0], 0o600)
		}
	})

	t.Run("restart_keeps_the_same_key", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		first, err := jwtkeys.LoadOrCreate(dir, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		second, err := jwtkeys.LoadOrCreate(dir, "", t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if first.ActiveKID() != second.ActiveKID() || string(first.JWKS()) != string(second.JWKS()) {
			t.Fatalf("restart changed the key: %s → %s", first.ActiveKID(), second.ActiveKID())
		}
		if n := len(pemFiles(t, dir)); n != 1 {
			t.Fatalf("%d key files after a restart; want 1", n)
		}
	})

	t.Run("concurrent_starts_share_one_key", func(t *testing.T) {
		t.Parallel()
		dir := filepath.Join(t.TempDir(), "keys")
		const n = 8
		kids := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				ks, err := jwtkeys.LoadOrCreate(dir, "", t0)
				if err != nil {
					t.Error(err)
					return
				}
				kids[i] = ks.ActiveKID()
			})
		}
		wg.Wait()
		if files := pemFiles(t, dir); len(files) != 1 {
			t.Fatalf("key files = %v; want one", files)
		}
		for _, kid := range kids[1:] {
			if kid != kids[0] {
				t.Fatalf("active kids differ: %v", kids)
			}
		}
	})

	t.Run("newest_kid_is_active_by_default", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeKey(t, dir, "20250101T000000Z-aaaaaa")
		writeKey(t, dir, "20260101T000000Z-bbbbbb")
		writeKey(t, dir, "20251231T235959Z-ffffff")
		ks, err := jwtkeys.LoadOrCreate(dir, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		if ks.ActiveKID() != "20260101T000000Z-bbbbbb" {
			t.Fatalf("active = %s", ks.ActiveKID())
		}
		want := []string{"20250101T000000Z-aaaaaa", "20251231T235959Z-ffffff", "20260101T000000Z-bbbbbb"}
		if !slices.Equal(ks.KIDs(), want) {
			t.Fatalf("KIDs = %v; want %v", ks.KIDs(), want)
		}
	})

	t.Run("active_kid_selects_the_signing_key", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeKey(t, dir, "20250101T000000Z-aaaaaa")
		writeKey(t, dir, "20260101T000000Z-bbbbbb")
		ks, err := jwtkeys.LoadOrCreate(dir, "20250101T000000Z-aaaaaa", t0)
		if err != nil {
			t.Fatal(err)
		}
		if ks.ActiveKID() != "20250101T000000Z-aaaaaa" {
			t.Fatalf("active = %s", ks.ActiveKID())
		}
	})

	t.Run("unknown_active_kid_is_an_error", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeKey(t, dir, "20250101T000000Z-aaaaaa")
		if _, err := jwtkeys.LoadOrCreate(dir, "nope", t0); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Fatalf("err = %v; want one naming the kid", err)
		}
		empty := t.TempDir()
		if _, err := jwtkeys.LoadOrCreate(empty, "nope", t0); err == nil {
			t.Fatal("an active kid in an empty folder succeeded")
		}
		if n := len(pemFiles(t, empty)); n != 0 {
			t.Fatalf("generated %d keys although the active kid cannot match", n)
		}
	})

	t.Run("other_files_are_ignored", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeKey(t, dir, "k1")
		writeFile(t, filepath.Join(dir, "README.md"), []byte("keys"))
		writeFile(t, filepath.Join(dir, "k1.pub"), []byte("not a key"))
		writeFile(t, filepath.Join(dir, ".hidden.pem"), []byte("not a key"))
		if err := os.Mkdir(filepath.Join(dir, "folder.pem"), 0o700); err != nil {
			t.Fatal(err)
		}
		ks, err := jwtkeys.LoadOrCreate(dir, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ks.KIDs(), []string{"k1"}) {
			t.Fatalf("KIDs = %v", ks.KIDs())
		}
	})

	t.Run("folder_without_pem_files_gets_a_key", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeFile(t, filepath.Join(dir, "README.md"), []byte("keys"))
		ks, err := jwtkeys.LoadOrCreate(dir, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		if !generatedKID.MatchString(ks.ActiveKID()) {
			t.Fatalf("kid %q", ks.ActiveKID())
		}
	})

	t.Run("symlinked_key_files_load", func(t *testing.T) {
		t.Parallel()
		if runtime.GOOS == "windows" {
			t.Skip("symbolic links need privileges on Windows")
		}
		src, dir := t.TempDir(), t.TempDir()
		writeKey(t, src, "real")
		if err := os.Symlink(filepath.Join(src, "real.pem"), filepath.Join(dir, "linked.pem")); err != nil {
			t.Fatal(err)
		}
		ks, err := jwtkeys.LoadOrCreate(dir, "", t0)
		if err != nil {
			t.Fatal(err)
		}
		if ks.ActiveKID() != "linked" {
			t.Fatalf("active = %s", ks.ActiveKID())
		}
	})
}

func TestLoadOrCreateRejectsBadKeyFiles(t *testing.T) {
	t.Parallel()
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ecKey)
	if err != nil {
		t.Fatal(err)
	}
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	edDER, _ := x509.MarshalPKCS8PrivateKey(edKey)
	edPEM := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: edDER})

	tests := []struct {
		name, file string
		data       []byte
	}{
		{"garbage", "bad.pem", []byte("hello")},
		{"empty_file", "empty.pem", nil},
		{"wrong_pem_type", "typed.pem", pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER})},
		{"not_ed25519", "ecdsa.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: ecDER})},
		{"bad_der", "der.pem", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1, 2, 3}})},
		{"two_blocks", "two.pem", append(slices.Clone(edPEM), edPEM...)},
		{"bad_kid", "has space.pem", edPEM},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeKey(t, dir, "good")
			writeFile(t, filepath.Join(dir, tc.file), tc.data)
			_, err := jwtkeys.LoadOrCreate(dir, "", t0)
			if err == nil || !strings.Contains(err.Error(), tc.file) {
				t.Fatalf("err = %v; want an error naming %s", err, tc.file)
			}
		})
	}
}

func TestGenerateKeyAddsAKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, err := jwtkeys.LoadOrCreate(dir, "", t0)
	if err != nil {
		t.Fatal(err)
	}
	kid, err := jwtkeys.GenerateKey(dir, t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(kid, "20261127T005515Z-") {
		t.Fatalf("kid = %s", kid)
	}
	b, err := jwtkeys.LoadOrCreate(dir, "", t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if b.ActiveKID() != kid || !slices.Equal(b.KIDs(), []string{a.ActiveKID(), kid}) {
		t.Fatalf("active %s, kids %v", b.ActiveKID(), b.KIDs())
	}
}

func TestJWKSListsEveryKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	privs := map[string]ed25519.PrivateKey{
		"k1": writeKey(t, dir, "k1"),
		"k2": writeKey(t, dir, "k2"),
		"k3": writeKey(t, dir, "k3"),
	}
	ks, err := jwtkeys.LoadOrCreate(dir, "k2", t0)
	if err != nil {
		t.Fatal(err)
	}
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(ks.JWKS(), &set); err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != len(privs) {
		t.Fatalf("%d keys in JWKS; want %d", len(set.Keys), len(privs))
	}
	for _, k := range set.Keys {
		priv, ok := privs[k["kid"]]
		if !ok {
			t.Fatalf("unexpected kid %q", k["kid"])
		}
		if k["kty"] != "OKP" || k["crv"] != "Ed25519" || k["alg"] != "EdDSA" || k["use"] != "sig" || len(k) != 6 {
			t.Fatalf("key %v", k)
		}
		x, err := base64.RawURLEncoding.DecodeString(k["x"])
		if err != nil {
			t.Fatal(err)
		}
		if !ed25519.PublicKey(x).Equal(priv.Public()) {
			t.Fatalf("x of %s is not its public key", k["kid"])
		}
		if d, ok := k["d"]; ok {
			t.Fatalf("JWKS leaks the private key: %s", d)
		}
	}
	// The returned bytes are a copy.
	b := ks.JWKS()
	b[0] = 'X'
	if ks.JWKS()[0] != '{' {
		t.Fatal("JWKS returned its internal buffer")
	}
}

func TestNewKeySet(t *testing.T) {
	t.Parallel()
	if _, err := jwtkeys.NewKeySet(nil, ""); err == nil {
		t.Fatal("empty key set accepted")
	}
	_, priv, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := jwtkeys.NewKeySet(map[string]ed25519.PrivateKey{"a": priv[:10]}, ""); err == nil {
		t.Fatal("short key accepted")
	}
	if _, err := jwtkeys.NewKeySet(map[string]ed25519.PrivateKey{"a b": priv}, ""); err == nil {
		t.Fatal("bad kid accepted")
	}
	ks, err := jwtkeys.NewKeySet(map[string]ed25519.PrivateKey{"a": priv}, "")
	if err != nil {
		t.Fatal(err)
	}
	if pub, ok := ks.PublicKey("a"); !ok || !pub.Equal(priv.Public()) {
		t.Fatal("PublicKey(a) is not a's public key")
	}
	if _, ok := ks.PublicKey("b"); ok {
		t.Fatal("PublicKey(b) found a key")
	}
}

func assertMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Mode().Perm(); got != want {
		t.Fatalf("%s mode %o; want %o", path, got, want)
	}
}

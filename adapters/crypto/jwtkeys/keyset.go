// Package jwtkeys holds the Ed25519 keys that sign access tokens and the JWT
// issuer that uses them (identityport.TokenIssuer).
//
// Keys live in a folder as PKCS#8 PEM files named <kid>.pem. Every key in the
// folder verifies; one, the active key, signs. To rotate, add a key (GenerateKey
// or any Ed25519 PKCS#8 PEM file) and restart: the new key signs while tokens
// signed by the old ones stay valid until they expire; remove an old file once
// its tokens have expired.
package jwtkeys

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// KIDTimeLayout is the time layout that starts generated key ids, so that key
// ids sort in creation order: 20261126T005515Z-3fa2c1.
const KIDTimeLayout = "20060102T150405Z"

const (
	pemType     = "PRIVATE KEY"
	keySuffix   = ".pem"
	maxKeyFile  = 64 << 10
	lockName    = ".keygen.lock"
	staleLock   = 10 * time.Second // a lock older than this was left by a crashed process
	lockTimeout = 30 * time.Second // longest LoadOrCreate waits for another process
	lockPoll    = 25 * time.Millisecond
)

// validKID is what a key id (a key file's name without .pem) may look like.
var validKID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// KeySet is an immutable set of Ed25519 keys, one of which signs.
type KeySet struct {
	activeKID string
	signer    ed25519.PrivateKey
	public    map[string]ed25519.PublicKey
	kids      []string // ascending
	jwks      []byte
}

// NewKeySet builds a KeySet from private keys by key id. The active key is
// activeKID when not empty (it must be in keys), otherwise the greatest key id
// in byte order, which for generated (time-prefixed) ids is the newest key.
func NewKeySet(keys map[string]ed25519.PrivateKey, activeKID string) (*KeySet, error) {
	if len(keys) == 0 {
		return nil, errors.New("jwtkeys: no keys")
	}
	ks := &KeySet{public: make(map[string]ed25519.PublicKey, len(keys))}
	for kid, priv := range keys {
		if !validKID.MatchString(kid) {
			return nil, fmt.Errorf("jwtkeys: invalid key id %q", kid)
		}
		if len(priv) != ed25519.PrivateKeySize {
			return nil, fmt.Errorf("jwtkeys: key %q is not an Ed25519 private key", kid)
		}
		ks.public[kid] = slices.Clone(priv.Public().(ed25519.PublicKey))
		ks.kids = append(ks.kids, kid)
	}
	slices.Sort(ks.kids)
	ks.activeKID = activeKID
	if activeKID == "" {
		ks.activeKID = ks.kids[len(ks.kids)-1]
	}
	priv, ok := keys[ks.activeKID]
	if !ok {
		return nil, fmt.Errorf("jwtkeys: active key %q: no such key (have %s)", activeKID, strings.Join(ks.kids, ", "))
	}
	ks.signer = slices.Clone(priv)
	jwks, err := marshalJWKS(ks)
	if err != nil {
		return nil, err
	}
	ks.jwks = jwks
	return ks, nil
}

// LoadOrCreate loads every <kid>.pem in dir (PKCS#8 "PRIVATE KEY" PEM, Ed25519
// only). Other files, hidden files and folders are ignored; symbolic links are
// followed (Kubernetes secret volumes). A .pem file that cannot be used is an
// error naming the file.
//
// When dir is missing or holds no key, LoadOrCreate creates dir (0700) and
// generates one key named after now (see GenerateKey). Processes that start
// together on a shared folder take turns through a lock file, so they all end
// up with the same single key.
//
// The active key is activeKID when not empty (an error if there is no such
// file), otherwise the greatest key id in byte order: generated key ids start
// with their UTC creation time (KIDTimeLayout), so that is the newest key. Name
// hand-made key files the same way, or set activeKID.
func LoadOrCreate(dir, activeKID string, now time.Time) (*KeySet, error) {
	keys, err := loadDir(dir)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		if activeKID != "" {
			return nil, fmt.Errorf("jwtkeys: active key %q: no key in %s", activeKID, dir)
		}
		if keys, err = createFirst(dir, now); err != nil {
			return nil, err
		}
	}
	return NewKeySet(keys, activeKID)
}

// GenerateKey writes a new Ed25519 key to dir (created 0700 if missing) as
// <kid>.pem with mode 0600, atomically (temporary file, fsync, rename), and
// returns its kid: now in UTC as KIDTimeLayout, a dash and 6 random hex digits.
func GenerateKey(dir string, now time.Time) (kid string, err error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", fmt.Errorf("jwtkeys: generate key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", fmt.Errorf("jwtkeys: encode key: %w", err)
	}
	suffix := make([]byte, 3)
	if _, err := rand.Read(suffix); err != nil {
		return "", fmt.Errorf("jwtkeys: key id: %w", err)
	}
	kid = now.UTC().Format(KIDTimeLayout) + "-" + hex.EncodeToString(suffix)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("jwtkeys: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der})
	if err := writeFileAtomic(dir, kid+keySuffix, data); err != nil {
		return "", err
	}
	return kid, nil
}

// ActiveKID returns the id of the key that signs.
func (ks *KeySet) ActiveKID() string { return ks.activeKID }

// KIDs returns the ids of every key, in ascending order.
func (ks *KeySet) KIDs() []string { return slices.Clone(ks.kids) }

// PublicKey returns the public key with this id.
func (ks *KeySet) PublicKey(kid string) (ed25519.PublicKey, bool) {
	pub, ok := ks.public[kid]
	return slices.Clone(pub), ok
}

// createFirst generates the first key of dir unless another process does, and
// returns the keys then in dir.
func createFirst(dir string, now time.Time) (map[string]ed25519.PrivateKey, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("jwtkeys: %w", err)
	}
	lock := filepath.Join(dir, lockName)
	deadline := time.Now().Add(lockTimeout)
	for {
		f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			_ = f.Close()
			keys, err := generateUnlessPresent(dir, now)
			_ = os.Remove(lock)
			return keys, err
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("jwtkeys: %w", err)
		}
		// Another process is generating: use its key once it is there.
		keys, err := loadDir(dir)
		if err != nil || len(keys) > 0 {
			return keys, err
		}
		// A lock this old was left by a crash (generating takes milliseconds).
		// Two waiters breaking it at the same instant could both generate; that
		// needs a crash first and then a race within one poll, and is accepted.
		if info, err := os.Stat(lock); err == nil && time.Since(info.ModTime()) > staleLock {
			_ = os.Remove(lock)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("jwtkeys: timed out waiting for %s to go away", lock)
		}
		time.Sleep(lockPoll)
	}
}

// generateUnlessPresent runs under the lock: a process that held it just before
// may have written a key since this one looked.
func generateUnlessPresent(dir string, now time.Time) (map[string]ed25519.PrivateKey, error) {
	keys, err := loadDir(dir)
	if err != nil || len(keys) > 0 {
		return keys, err
	}
	if _, err := GenerateKey(dir, now); err != nil {
		return nil, err
	}
	return loadDir(dir)
}

// loadDir reads the keys of dir; a missing dir holds no keys.
func loadDir(dir string) (map[string]ed25519.PrivateKey, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("jwtkeys: %w", err)
	}
	keys := make(map[string]ed25519.PrivateKey)
	for _, e := range entries {
		name := e.Name()
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, keySuffix) {
			continue
		}
		path := filepath.Join(dir, name)
		info, err := os.Stat(path) // follows symbolic links
		if err != nil {
			return nil, fmt.Errorf("jwtkeys: %w", err)
		}
		if info.IsDir() {
			continue
		}
		kid := strings.TrimSuffix(name, keySuffix)
		if !validKID.MatchString(kid) {
			return nil, fmt.Errorf("jwtkeys: %s: key id %q may only hold letters, digits, '.', '_' and '-'", path, kid)
		}
		if !info.Mode().IsRegular() || info.Size() > maxKeyFile {
			return nil, fmt.Errorf("jwtkeys: %s: not a key file", path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("jwtkeys: %w", err)
		}
		priv, err := parsePrivateKey(data)
		if err != nil {
			return nil, fmt.Errorf("jwtkeys: %s: %w", path, err)
		}
		keys[kid] = priv
	}
	return keys, nil
}

// parsePrivateKey decodes one PKCS#8 PEM block holding an Ed25519 key.
func parsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	block, rest := pem.Decode(data)
	if block == nil {
		return nil, errors.New("no PEM block")
	}
	if block.Type != pemType {
		return nil, fmt.Errorf("PEM block is %q, want %q (PKCS#8)", block.Type, pemType)
	}
	if next, _ := pem.Decode(rest); next != nil {
		return nil, errors.New("more than one PEM block")
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%T is not an Ed25519 key", key)
	}
	return priv, nil
}

// writeFileAtomic writes data to dir/name (mode 0600) so that readers see either
// nothing or the whole file, and the file survives a crash once it returns.
func writeFileAtomic(dir, name string, data []byte) (err error) {
	// The temporary name is hidden and does not end in .pem: loadDir skips it.
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return fmt.Errorf("jwtkeys: %w", err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmp)
		}
	}()
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return fmt.Errorf("jwtkeys: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		return fmt.Errorf("jwtkeys: %w", err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("jwtkeys: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("jwtkeys: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("jwtkeys: %w", err)
	}
	// Persist the rename itself. Best effort: some systems cannot sync a folder.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// Package passwordhash hashes passwords with argon2id (PHC string format) and
// verifies both argon2id and legacy bcrypt hashes. It implements
// identityport.PasswordHasher.
//
// Every key derivation runs while holding one slot of a fixed-size semaphore, so
// a flood of logins queues instead of allocating 19 MiB per request until the
// process runs out of memory.
package passwordhash

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/bcrypt"

	"github.com/civicdatatrust/civictrust/ports/identityport"
)

var _ identityport.PasswordHasher = (*Hasher)(nil)

// Params are argon2id parameters.
type Params struct {
	// Memory is the memory cost in KiB.
	Memory uint32
	// Time is the number of passes over the memory.
	Time uint32
	// Threads is the degree of parallelism.
	Threads uint8
	// SaltLength is the length of the random salt in bytes.
	SaltLength uint32
	// KeyLength is the length of the derived key in bytes.
	KeyLength uint32
}

// DefaultParams returns the parameters of new hashes: m=19456 KiB (19 MiB), t=2,
// p=1, a 16-byte salt and a 32-byte key (the OWASP recommendation).
func DefaultParams() Params {
	return Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLength: 16, KeyLength: 32}
}

// Limits on the parameters the hasher accepts, both in Options and in stored
// encodings; an encoding outside them is treated as malformed so that a corrupt
// or hostile record cannot make one verification take gigabytes or minutes.
const (
	MaxMemory     = 256 * 1024 // KiB (256 MiB)
	MaxTime       = 64
	MinSaltLength = 8
	MaxSaltLength = 64
	MinKeyLength  = 16
	MaxKeyLength  = 128
	// MaxBcryptCost is the highest bcrypt cost Verify computes (cost 16 is
	// several seconds of CPU); legacy hashes used 12.
	MaxBcryptCost = 16
)

// withDefaults fills every zero field from DefaultParams.
func (p Params) withDefaults() Params {
	d := DefaultParams()
	if p.Memory == 0 {
		p.Memory = d.Memory
	}
	if p.Time == 0 {
		p.Time = d.Time
	}
	if p.Threads == 0 {
		p.Threads = d.Threads
	}
	if p.SaltLength == 0 {
		p.SaltLength = d.SaltLength
	}
	if p.KeyLength == 0 {
		p.KeyLength = d.KeyLength
	}
	return p
}

// validate checks p against the limits; p must have no zero field.
func (p Params) validate() error {
	switch {
	case p.Memory < 8*uint32(p.Threads) || p.Memory > MaxMemory:
		return fmt.Errorf("argon2id memory %d KiB out of range [%d, %d]", p.Memory, 8*uint32(p.Threads), MaxMemory)
	case p.Time < 1 || p.Time > MaxTime:
		return fmt.Errorf("argon2id time %d out of range [1, %d]", p.Time, MaxTime)
	case p.Threads < 1:
		return errors.New("argon2id threads must be at least 1")
	case p.SaltLength < MinSaltLength || p.SaltLength > MaxSaltLength:
		return fmt.Errorf("argon2id salt length %d out of range [%d, %d]", p.SaltLength, MinSaltLength, MaxSaltLength)
	case p.KeyLength < MinKeyLength || p.KeyLength > MaxKeyLength:
		return fmt.Errorf("argon2id key length %d out of range [%d, %d]", p.KeyLength, MinKeyLength, MaxKeyLength)
	}
	return nil
}

// Options configure a Hasher.
type Options struct {
	// Concurrency is how many key derivations (argon2id or bcrypt) may run at
	// once; further calls wait for a slot. 0 means runtime.NumCPU(). Peak memory
	// is about Concurrency × Params.Memory.
	Concurrency int
	// Params are the parameters of new hashes; each zero field takes its value
	// from DefaultParams.
	Params Params
}

// Hasher is an identityport.PasswordHasher using argon2id with bounded
// concurrency. It is safe for concurrent use.
type Hasher struct {
	params Params
	sem    chan struct{}
	// dummy is an argon2id encoding with the current params that no password
	// matches, verified by DummyVerify.
	dummy string
	// idKey derives the key; it is argon2.IDKey except in tests.
	idKey func(password, salt []byte, time, memory uint32, threads uint8, keyLen uint32) []byte
}

// New returns a Hasher. It fails only when opts hold out-of-range values.
func New(opts Options) (*Hasher, error) {
	if opts.Concurrency < 0 {
		return nil, fmt.Errorf("passwordhash: concurrency %d is negative", opts.Concurrency)
	}
	if opts.Concurrency == 0 {
		opts.Concurrency = runtime.NumCPU()
	}
	p := opts.Params.withDefaults()
	if err := p.validate(); err != nil {
		return nil, fmt.Errorf("passwordhash: %w", err)
	}
	h := &Hasher{
		params: p,
		sem:    make(chan struct{}, opts.Concurrency),
		idKey:  argon2.IDKey,
	}
	// The dummy's salt and key need not be secret or random: its only use is to
	// spend the same work as a real verification. An all-zero key is never
	// produced in practice, so DummyVerify never "succeeds".
	h.dummy = encode(p, make([]byte, p.SaltLength), make([]byte, p.KeyLength))
	return h, nil
}

// NewInsecureFast returns a Hasher with tiny parameters (m=64 KiB, t=1, p=1)
// that produces the same PHC format in microseconds. It is for tests only:
// never use it to store real passwords.
func NewInsecureFast() *Hasher {
	h, err := New(Options{Params: Params{Memory: 64, Time: 1, Threads: 1}})
	if err != nil {
		panic(err) // constant, valid parameters
	}
	return h
}

// Params returns the parameters used for new hashes.
func (h *Hasher) Params() Params { return h.params }

// Hash returns the argon2id PHC encoding of password with a fresh random salt.
// It waits for a free slot and returns ctx.Err() if ctx ends first.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, h.params.SaltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("passwordhash: salt: %w", err)
	}
	key, err := h.derive(ctx, password, salt, h.params)
	if err != nil {
		return "", err
	}
	return encode(h.params, salt, key), nil
}

// Verify reports whether password matches encoded, an argon2id PHC string with
// any (in-limit) parameters or a bcrypt hash ($2a$, $2b$, $2y$). rehash is true
// on a match when encoded is bcrypt or uses other parameters than Params().
// A malformed or unsupported encoding gives ok=false and a nil error; the only
// error is ctx's, when ctx ends while waiting for a slot.
func (h *Hasher) Verify(ctx context.Context, password, encoded string) (ok, rehash bool, err error) {
	switch {
	case strings.HasPrefix(encoded, "$argon2id$"):
		return h.verifyArgon2id(ctx, password, encoded)
	case strings.HasPrefix(encoded, "$2a$"), strings.HasPrefix(encoded, "$2b$"), strings.HasPrefix(encoded, "$2y$"):
		return h.verifyBcrypt(ctx, password, encoded)
	default:
		return false, false, nil
	}
}

// DummyVerify spends what a Verify of an argon2id hash with the current
// parameters spends, so that a login for an unknown email takes as long as one
// with a wrong password. Its result is meaningless and discarded.
func (h *Hasher) DummyVerify(ctx context.Context, password string) {
	_, _, _ = h.verifyArgon2id(ctx, password, h.dummy)
}

func (h *Hasher) verifyArgon2id(ctx context.Context, password, encoded string) (ok, rehash bool, err error) {
	p, salt, want, perr := decode(encoded)
	if perr != nil {
		return false, false, nil
	}
	got, err := h.derive(ctx, password, salt, p)
	if err != nil {
		return false, false, err
	}
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return false, false, nil
	}
	return true, p != h.params, nil
}

func (h *Hasher) verifyBcrypt(ctx context.Context, password, encoded string) (ok, rehash bool, err error) {
	cost, cerr := bcrypt.Cost([]byte(encoded))
	if cerr != nil || cost > MaxBcryptCost {
		return false, false, nil
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	// Like the C implementations (and the original service), bcrypt only looks at
	// the first 72 bytes of the password; CompareHashAndPassword does the same.
	if bcrypt.CompareHashAndPassword([]byte(encoded), []byte(password)) != nil {
		return false, false, nil
	}
	return true, true, nil
}

// derive computes the argon2id key while holding a slot.
func (h *Hasher) derive(ctx context.Context, password string, salt []byte, p Params) ([]byte, error) {
	if err := h.acquire(ctx); err != nil {
		return nil, err
	}
	defer h.release()
	return h.idKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLength), nil
}

// acquire takes a slot, or returns ctx.Err() if ctx ends first (or has ended).
func (h *Hasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// Package blobio holds what every blob adapter does the same way: reading an
// upload through a counting, hashing reader that enforces the size limit and
// notices a cancelled context, choosing random keys, and checking keys and
// read ranges.
package blobio

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/civicdatatrust/civictrust/ports/platformport"
)

// Reader reads an upload from its source while counting and hashing it. It
// never asks the source for more than maxBytes+1 bytes in total: once the
// source yields more than maxBytes it fails with platformport.ErrBlobTooLarge.
// Before every read it checks the context, so a cancelled upload stops at
// the next read. After the first error every Read returns that error.
type Reader struct {
	ctx context.Context
	src io.Reader
	max int64 // ≤ 0: no limit
	n   int64
	sum hash.Hash // nil: not hashed
	err error
}

// NewReader returns a Reader over src; maxBytes ≤ 0 means no limit.
func NewReader(ctx context.Context, src io.Reader, maxBytes int64) *Reader {
	return &Reader{ctx: ctx, src: src, max: maxBytes, sum: sha256.New()}
}

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if err := r.ctx.Err(); err != nil {
		r.err = err
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if r.max > 0 {
		// Ask for at most one byte past the limit: enough to know it is crossed.
		if room := r.max + 1 - r.n; int64(len(p)) > room {
			p = p[:room]
		}
	}
	n, err := r.src.Read(p)
	if n < 0 || n > len(p) {
		n, err = 0, errors.New("blobio: source returned an invalid count")
	}
	r.n += int64(n)
	if r.sum != nil { // a stage's reader hashes nothing (Stage)
		r.sum.Write(p[:n]) // a hash never fails
	}
	switch {
	case r.max > 0 && r.n > r.max:
		r.err = platformport.ErrBlobTooLarge
		return 0, r.err // the byte past the limit is never handed on
	case err == nil, errors.Is(err, io.EOF):
		if err != nil {
			err = io.EOF // a wrapped EOF still ends the upload normally
		}
		return n, err
	default:
		r.err = fmt.Errorf("read upload: %w", err)
		return n, r.err
	}
}

// Err returns the error that stopped the reader (the limit crossed, the
// context done, the source failing), or nil. Adapters return it in preference
// to their library's error, which may not wrap it.
func (r *Reader) Err() error { return r.err }

// Size returns the number of bytes read so far.
func (r *Reader) Size() int64 {
	if r.max > 0 && r.n > r.max {
		return r.max
	}
	return r.n
}

// SHA256 returns the lower-case hex SHA-256 of what was read so far.
func (r *Reader) SHA256() string { return hex.EncodeToString(r.sum.Sum(nil)) }

// Info returns the BlobInfo of a complete upload stored under key.
func (r *Reader) Info(key string) platformport.BlobInfo {
	return platformport.BlobInfo{Key: key, Size: r.Size(), SHA256: r.SHA256()}
}

// KeyBytes is the number of random bytes in a key made by NewKey; the key is
// twice as many hex digits.
const KeyBytes = 16

// NewKey returns a new random key: 32 lower-case hex digits (128 bits), so
// that two keys never collide and a key cannot be guessed.
func NewKey() string {
	var b [KeyBytes]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}

// IsKey reports whether key has the form NewKey gives: exactly 32 lower-case
// hex digits. Anything else (a path, upper case, another length) is a key no
// store made, which callers report as not found.
func IsKey(key string) bool { return IsHex(key, 2*KeyBytes) }

// IsHex reports whether s is exactly n lower-case hex digits.
func IsHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Range checks a read range of a blob of size bytes and returns where to
// start and how many bytes to read: a negative length means to the end, and
// a range reaching past the end is cut there (an offset at or past the end
// reads nothing). A negative offset is an error.
func Range(size, offset, length int64) (start, n int64, err error) {
	if offset < 0 {
		return 0, 0, fmt.Errorf("blob read: negative offset %d", offset)
	}
	if offset >= size {
		return size, 0, nil
	}
	n = size - offset
	if length >= 0 && length < n {
		n = length
	}
	return offset, n, nil
}

// Empty returns a ReadCloser that reads nothing.
func Empty() io.ReadCloser { return io.NopCloser(eofReader{}) }

// eofReader is an io.Reader that is always at its end.
type eofReader struct{}

func (eofReader) Read([]byte) (int, error) { return 0, io.EOF }

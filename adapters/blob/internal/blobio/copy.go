package blobio

import (
	"context"
	"errors"
	"io"
)

// copyBufferSize is how much Copy gathers before each write.
const copyBufferSize = 256 << 10

// Copied is what Copy copied: its size and lower-case hex SHA-256.
type Copied struct {
	Size   int64
	SHA256 string
}

// Copy copies src to dst as Reader reads it — at most maxBytes (≤ 0: no
// limit; platformport.ErrBlobTooLarge as soon as src yields more), stopping
// at the next read once ctx ends — and counts and hashes what it copies. It
// writes only full buffers (and the rest at the end), whatever the size of
// the reads src gives (mime/multipart hands a part over 4 KiB at a time).
// Reading, hashing and writing take turns on one goroutine: the store's
// write and fsync, not the hash, is what an upload waits for.
func Copy(ctx context.Context, dst io.Writer, src io.Reader, maxBytes int64) (Copied, error) {
	rd := NewReader(ctx, src, maxBytes)
	buf := make([]byte, copyBufferSize)
	for {
		n, err := Fill(rd, buf)
		if n > 0 && (err == nil || errors.Is(err, io.EOF)) {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return Copied{}, werr
			}
		}
		if errors.Is(err, io.EOF) { // the end; a truncated body is io.ErrUnexpectedEOF
			break
		}
		if err != nil {
			return Copied{}, err
		}
	}
	return Copied{Size: rd.Size(), SHA256: rd.SHA256()}, nil
}

// Fill reads into buf until it is full or r fails; io.EOF is returned as is
// (unlike io.ReadFull, which turns a short read into io.ErrUnexpectedEOF, the
// error a truncated upload also gives).
func Fill(r io.Reader, buf []byte) (int, error) {
	n := 0
	for n < len(buf) {
		m, err := r.Read(buf[n:])
		n += m
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

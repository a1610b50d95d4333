package blobio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"sync"
)

// copyBuffers and copyBufferSize size Copy's pipeline: 4 × 256 KiB in flight
// per upload, so each stage has a buffer to work on while the others do.
const (
	copyBuffers    = 4
	copyBufferSize = 256 << 10
)

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
//
// Reading, hashing and writing run at once on different buffers: the calling
// goroutine reads (it alone touches src, so nothing reads src after Copy
// returns), one goroutine hashes and one writes, in order. SHA-256 is the
// costliest of the three (1.8 GB/s on one core here: go test -run '^$'
// -bench Hash1M crypto/sha256), so in sequence the other two added to it.
//
// A read error is returned in preference to a write error (the upload's own
// fault comes first); after a write error Copy stops reading at the next
// buffer.
func Copy(ctx context.Context, dst io.Writer, src io.Reader, maxBytes int64) (Copied, error) {
	rd := &Reader{ctx: ctx, src: src, max: maxBytes} // no sum: hashed by its own stage
	free := make(chan []byte, copyBuffers)
	for range copyBuffers {
		free <- make([]byte, copyBufferSize)
	}
	toHash := make(chan []byte, copyBuffers)
	toWrite := make(chan []byte, copyBuffers)
	writeFailed := make(chan struct{})
	sum := sha256.New()
	var writeErr error // set by the writer before it closes writeFailed
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		defer close(toWrite)
		for b := range toHash {
			sum.Write(b) // a hash never fails
			toWrite <- b
		}
	}()
	go func() {
		defer wg.Done()
		for b := range toWrite {
			if writeErr == nil {
				if _, err := dst.Write(b); err != nil {
					writeErr = err
					close(writeFailed)
				}
			}
			free <- b[:cap(b)]
		}
	}()

	var readErr error
read:
	for {
		var buf []byte
		select {
		case buf = <-free:
		case <-writeFailed:
			break read
		}
		n, err := Fill(rd, buf)
		if n > 0 {
			toHash <- buf[:n]
		} else {
			free <- buf
		}
		if errors.Is(err, io.EOF) { // the end; a truncated body is io.ErrUnexpectedEOF
			break
		}
		if err != nil {
			readErr = err
			break
		}
	}
	close(toHash)
	wg.Wait()
	switch {
	case readErr != nil:
		return Copied{}, readErr
	case writeErr != nil:
		return Copied{}, writeErr
	}
	return Copied{Size: rd.Size(), SHA256: hex.EncodeToString(sum.Sum(nil))}, nil
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

package formstream_test

import (
	"bytes"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/http/formstream"
)

// BenchmarkFilePart reads a 64 MiB file part as an upload does (into 256 KiB
// buffers) with mime/multipart and with formstream: the CPU the parsing
// costs per byte on the goroutine that reads the connection.
func BenchmarkFilePart(b *testing.B) {
	contents := make([]byte, 64<<20)
	rng := rand.NewChaCha8([32]byte{9})
	_, _ = rng.Read(contents)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	w, _ := mw.CreateFormFile("file", "data.bin")
	_, _ = w.Write(contents)
	_ = mw.Close()
	buf := make([]byte, 256<<10)
	read := func(b *testing.B, p io.Reader) {
		for {
			_, err := p.Read(buf)
			if err == io.EOF {
				return
			}
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("mime-multipart", func(b *testing.B) {
		b.SetBytes(int64(len(contents)))
		for b.Loop() {
			p, err := multipart.NewReader(bytes.NewReader(body.Bytes()), mw.Boundary()).NextPart()
			if err != nil {
				b.Fatal(err)
			}
			read(b, p)
		}
	})
	b.Run("formstream", func(b *testing.B) {
		b.SetBytes(int64(len(contents)))
		for b.Loop() {
			p, err := formstream.NewReader(bytes.NewReader(body.Bytes()), mw.Boundary()).NextPart()
			if err != nil {
				b.Fatal(err)
			}
			read(b, p)
		}
	})
}

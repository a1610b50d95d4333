package httpserver_test

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/rs/zerolog"

	"github.com/civicdatatrust/civictrust/adapters/http/httpserver"
)

// slowReader yields its content a chunk at a time with a pause before each.
type slowReader struct {
	chunks []string
	pause  time.Duration
}

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.chunks) == 0 {
		return 0, io.EOF
	}
	time.Sleep(r.pause)
	n := copy(p, r.chunks[0])
	r.chunks = r.chunks[1:]
	return n, nil
}

// A slow upload outlives the ordinary read timeout; a slow JSON body does not.
func TestUploadsGetTheirOwnReadTimeout(t *testing.T) {
	drain := func(c *fiber.Ctx) error {
		n, err := io.Copy(io.Discard, httpserver.RequestBody(c))
		if err != nil {
			return err
		}
		return c.JSON(fiber.Map{"read": n})
	}
	s := httpserver.New(httpserver.Options{
		Log: zerolog.Nop(), ReadTimeout: 500 * time.Millisecond, UploadReadTimeout: 10 * time.Second,
		Routes: []httpserver.Route{{Method: fiber.MethodPost, Path: "/up", Access: httpserver.Public, Handler: drain}},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = s.App.Listener(ln) }()
	t.Cleanup(func() { _ = s.App.ShutdownWithTimeout(time.Second) })
	post := func(contentType string) (int, error) {
		body := &slowReader{chunks: []string{"--b\r\n", strings.Repeat("x", 100), "\r\n--b--\r\n"}, pause: 600 * time.Millisecond}
		req, _ := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+"/up", body)
		req.Header.Set("Content-Type", contentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err
		}
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}
	if status, err := post("multipart/form-data; boundary=b"); err != nil || status != http.StatusOK {
		t.Fatalf("slow upload: status %d, error %v", status, err)
	}
	start := time.Now()
	status, err := post("application/json")
	t.Logf("slow JSON: status %d, error %v, after %v", status, err, time.Since(start))
	if err == nil && status == http.StatusOK {
		t.Fatal("a slow JSON body outlived the read timeout")
	}
}

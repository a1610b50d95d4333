package s3blob_test

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/civicdatatrust/civictrust/adapters/blob/s3blob"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

const (
	bucket    = "civictrust-test"
	accessKey = "test-access-key"
	secretKey = "test-secret-key"
)

// fakeS3 starts an in-memory S3 server for the test. It serves HTTPS: over
// HTTP minio-go signs parts with aws-chunked encoding, which gofakes3 v1.2.0
// stores undecoded in multipart uploads.
func fakeS3(t *testing.T) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(gofakes3.New(s3mem.New()).Server())
	t.Cleanup(srv.Close)
	return srv
}

// options returns the store options for the fake server srv.
func options(srv *httptest.Server) s3blob.Options {
	return s3blob.Options{
		Endpoint:        srv.URL, // https://127.0.0.1:port
		Transport:       srv.Client().Transport,
		Bucket:          bucket,
		Region:          "us-east-1",
		AccessKeyID:     accessKey,
		SecretAccessKey: secretKey,
		Prefix:          "blobs/",
		PartSize:        s3blob.MinPartSize, // so that 5 MiB + 1 takes two parts
	}
}

// newStore returns a store on a fresh fake server and a client to inspect it.
func newStore(t *testing.T) (*s3blob.Store, *minio.Client) {
	t.Helper()
	srv := fakeS3(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s, err := s3blob.New(ctx, options(srv))
	if err != nil {
		t.Fatal(err)
	}
	c, err := minio.New(srv.Listener.Addr().String(), &minio.Options{
		Creds:     credentials.NewStaticV4(accessKey, secretKey, ""),
		Region:    "us-east-1",
		Secure:    true,
		Transport: srv.Client().Transport,
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// count returns the number of objects and incomplete uploads in the bucket.
func count(t *testing.T, c *minio.Client) int {
	t.Helper()
	ctx := context.Background()
	n := 0
	for obj := range c.ListObjects(ctx, bucket, minio.ListObjectsOptions{Recursive: true}) {
		if obj.Err != nil {
			t.Fatal(obj.Err)
		}
		n++
	}
	for up := range c.ListIncompleteUploads(ctx, bucket, "", true) {
		if up.Err != nil {
			// gofakes3 answers NoSuchUpload for a bucket that never had one.
			if minio.ToErrorResponse(up.Err).Code == minio.NoSuchUpload {
				break
			}
			t.Fatal(up.Err)
		}
		n++
	}
	return n
}

func TestBlobStore(t *testing.T) {
	clients := make(map[platformport.BlobStore]*minio.Client)
	platformporttest.TestBlobStore(t, func(t *testing.T) platformport.BlobStore {
		s, c := newStore(t)
		clients[s] = c
		return s
	}, platformporttest.SuiteOptions{
		MaxFileSize: 16 << 20,
		Count: func(t *testing.T, s platformport.BlobStore) int {
			return count(t, clients[s])
		},
	})
}

func TestObjectsLiveUnderThePrefix(t *testing.T) {
	ctx := context.Background()
	s, c := newStore(t)
	info, err := s.Put(ctx, bytes.NewReader([]byte("hello")), 0)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := c.GetObject(ctx, bucket, "blobs/"+info.Key, minio.GetObjectOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer obj.Close()
	got, err := io.ReadAll(obj)
	if err != nil {
		t.Fatalf("object not at blobs/<key>: %v", err)
	}
	if string(got) != "hello" {
		t.Errorf("object holds %q", got)
	}
}

func TestNewUsesAnExistingBucket(t *testing.T) {
	ctx := context.Background()
	srv := fakeS3(t)
	for range 2 {
		if _, err := s3blob.New(ctx, options(srv)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEndpointWithoutSchemeUsesUseSSL(t *testing.T) {
	ctx := context.Background()
	srv := fakeS3(t)
	o := options(srv)
	o.Endpoint = srv.Listener.Addr().String()
	o.UseSSL = true
	s, err := s3blob.New(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, bytes.NewReader([]byte("x")), 0); err != nil {
		t.Fatal(err)
	}
}

func TestNewChecksOptions(t *testing.T) {
	ctx := context.Background()
	for name, change := range map[string]func(*s3blob.Options){
		"no_endpoint":        func(o *s3blob.Options) { o.Endpoint = "" },
		"no_bucket":          func(o *s3blob.Options) { o.Bucket = "" },
		"endpoint_with_path": func(o *s3blob.Options) { o.Endpoint = "https://s3.example.com/bucket" },
		"endpoint_ftp":       func(o *s3blob.Options) { o.Endpoint = "ftp://s3.example.com" },
		"small_parts":        func(o *s3blob.Options) { o.PartSize = 1 << 20 },
	} {
		t.Run(name, func(t *testing.T) {
			o := s3blob.Options{Endpoint: "http://127.0.0.1:1", Bucket: bucket}
			change(&o)
			if _, err := s3blob.New(ctx, o); err == nil {
				t.Error("New succeeded")
			}
		})
	}
}

func TestStagingStore(t *testing.T) {
	clients := make(map[platformporttest.StagedStore]*minio.Client)
	platformporttest.TestStagingStore(t, func(t *testing.T) platformporttest.StagedStore {
		s, c := newStore(t)
		clients[s] = c
		return s
	}, platformporttest.StagingOptions{
		MaxFileSize: 16 << 20,
		PieceSize:   s3blob.MinPartSize,
		Count: func(t *testing.T, s platformporttest.StagedStore) int {
			return count(t, clients[s])
		},
	})
}

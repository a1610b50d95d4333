// Package s3blob keeps blobs in a bucket of an S3-compatible object store
// (AWS S3, MinIO, Garage, Ceph, …) through minio-go.
//
// A blob up to PartSize is stored with one PUT; a larger one is streamed as a
// multipart upload of PartSize parts (about one part in memory at a time).
// The object appears only when its upload completes, so a failed Put never
// leaves a partial object, and the parts of a failed multipart upload are
// aborted. An
// upload a crash interrupts stays as an incomplete multipart upload: give the
// bucket a lifecycle rule that aborts those after a day. Uploads in pieces
// are staged as multipart uploads too (staging.go).
package s3blob

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/domain/kernel"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.BlobStore = (*Store)(nil)

const (
	// DefaultPartSize is the part size when Options leaves it zero.
	DefaultPartSize = 16 << 20
	// MinPartSize is the smallest part S3 accepts (but for the last one).
	MinPartSize = 5 << 20
	// MaxPartSize is S3's largest part.
	MaxPartSize = 5 << 30
	// cleanupTimeout bounds the removal of a failed upload, which runs even
	// when the upload's context is cancelled.
	cleanupTimeout = 30 * time.Second
)

// Options locate the bucket and tune uploads.
type Options struct {
	// Endpoint is the store's address: "https://s3.eu-central-1.amazonaws.com",
	// "http://minio:9000", or "host:port" (then UseSSL decides). A scheme
	// given here wins over UseSSL.
	Endpoint string
	// Bucket is the bucket's name; New creates it when missing.
	Bucket string
	// Region is the bucket's region ("" lets the client ask the store).
	Region string
	// AccessKeyID and SecretAccessKey are the credentials (static, signature v4).
	AccessKeyID     string
	SecretAccessKey string
	// UseSSL selects HTTPS for an Endpoint without a scheme.
	UseSSL bool
	// Prefix is put before every key to make an object name, e.g. "blobs/",
	// so that the bucket can hold other things.
	Prefix string
	// PartSize is the size of the parts of a multipart upload, and what an
	// upload holds in memory: at least MinPartSize; zero means DefaultPartSize.
	PartSize uint64
	// Transport, when set, carries the HTTP requests (tests, proxies).
	Transport http.RoundTripper
}

// Store is a BlobStore in an S3 bucket. Keys are 32 lower-case hex digits.
// It is safe for concurrent use.
type Store struct {
	client   *minio.Client
	core     *minio.Core // the multipart calls of stages
	bucket   string
	prefix   string
	partSize uint64
}

// New connects to the store and creates the bucket when it does not exist.
func New(ctx context.Context, opts Options) (*Store, error) {
	host, secure, err := parseEndpoint(opts.Endpoint, opts.UseSSL)
	if err != nil {
		return nil, err
	}
	if opts.Bucket == "" {
		return nil, errors.New("s3blob: bucket is required")
	}
	partSize := opts.PartSize
	if partSize == 0 {
		partSize = DefaultPartSize
	}
	if partSize < MinPartSize {
		return nil, fmt.Errorf("s3blob: part size %d is below the minimum %d", partSize, MinPartSize)
	}
	if partSize > MaxPartSize {
		return nil, fmt.Errorf("s3blob: part size %d is above the maximum %d", partSize, MaxPartSize)
	}
	client, err := minio.New(host, &minio.Options{
		Creds:     credentials.NewStaticV4(opts.AccessKeyID, opts.SecretAccessKey, ""),
		Secure:    secure,
		Region:    opts.Region,
		Transport: opts.Transport,
	})
	if err != nil {
		// The error never contains the secret.
		return nil, fmt.Errorf("s3blob: client: %w", err)
	}
	s := &Store{client: client, core: &minio.Core{Client: client}, bucket: opts.Bucket, prefix: opts.Prefix, partSize: partSize}
	if err := s.ensureBucket(ctx, opts.Region); err != nil {
		return nil, err
	}
	return s, nil
}

// parseEndpoint splits an endpoint into the host[:port] minio-go wants and
// whether to use HTTPS.
func parseEndpoint(endpoint string, useSSL bool) (host string, secure bool, err error) {
	if endpoint == "" {
		return "", false, errors.New("s3blob: endpoint is required")
	}
	if !strings.Contains(endpoint, "://") {
		return strings.TrimSuffix(endpoint, "/"), useSSL, nil
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return "", false, fmt.Errorf("s3blob: endpoint: %w", err)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return "", false, fmt.Errorf("s3blob: endpoint scheme %q is neither http nor https", u.Scheme)
	case u.Host == "":
		return "", false, errors.New("s3blob: endpoint has no host")
	case strings.Trim(u.Path, "/") != "" || u.RawQuery != "" || u.User != nil:
		return "", false, errors.New("s3blob: endpoint must be a scheme and a host only (the bucket goes in Bucket)")
	}
	return u.Host, u.Scheme == "https", nil
}

// ensureBucket creates the bucket unless it exists.
func (s *Store) ensureBucket(ctx context.Context, region string) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("s3blob: check bucket %s: %w", s.bucket, translate(err))
	}
	if exists {
		return nil
	}
	err = s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: region})
	if err != nil {
		switch minio.ToErrorResponse(err).Code {
		case "BucketAlreadyOwnedByYou", "BucketAlreadyExists": // made meanwhile by another replica
			return nil
		}
		return fmt.Errorf("s3blob: create bucket %s: %w", s.bucket, translate(err))
	}
	return nil
}

// object returns the object name of a key.
func (s *Store) object(key string) string { return s.prefix + key }

// Put reads up to one part of r: a blob that fits is stored with a single
// PUT, a larger one is streamed as a multipart upload of PartSize parts.
func (s *Store) Put(ctx context.Context, r io.Reader, maxBytes int64) (platformport.BlobInfo, error) {
	if err := ctx.Err(); err != nil {
		return platformport.BlobInfo{}, err
	}
	key := blobio.NewKey()
	name := s.object(key)
	br := blobio.NewReader(ctx, r, maxBytes)
	opts := minio.PutObjectOptions{PartSize: s.partSize, ContentType: "application/octet-stream"}

	first := make([]byte, s.partSize)
	k, err := io.ReadFull(br, first)
	if berr := br.Err(); berr != nil {
		return platformport.BlobInfo{}, berr // nothing sent yet
	}
	var up minio.UploadInfo
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		// The whole blob: one request, and no multipart upload of an empty
		// part (which some stores refuse).
		up, err = s.client.PutObject(ctx, s.bucket, name, bytes.NewReader(first[:k]), int64(k), opts)
	case err == nil:
		// minio-go fills a part buffer of its own: first is released once read.
		rest := io.MultiReader(bytes.NewReader(first), br)
		up, err = s.client.PutObject(ctx, s.bucket, name, rest, -1, opts)
	}
	if err == nil {
		err = ctx.Err() // a reader that ignored its context
	}
	if err == nil && up.Size != br.Size() {
		err = fmt.Errorf("s3blob: store took %d bytes of %d", up.Size, br.Size())
	}
	if err != nil {
		s.discard(ctx, name)
		if berr := br.Err(); berr != nil {
			return platformport.BlobInfo{}, berr // the cause, which minio-go may not wrap
		}
		return platformport.BlobInfo{}, fmt.Errorf("s3blob: upload: %w", translate(err))
	}
	return br.Info(key), nil
}

// discard removes what a failed Put may have left: its incomplete multipart
// upload (minio-go aborts it too, but may fail to), or the object itself
// when the upload completed before the failure was noticed.
func (s *Store) discard(ctx context.Context, name string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	_ = s.client.RemoveIncompleteUpload(ctx, s.bucket, name)
	_ = s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{})
}

// Open asks for the object's size, then returns a ranged GET of
// [offset, offset+length). The reader uses ctx: it fails once ctx is done.
func (s *Store) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	if !blobio.IsKey(key) {
		return nil, platformport.ErrBlobNotFound
	}
	name := s.object(key)
	st, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{})
	if err != nil {
		if isNotFound(err) {
			return nil, platformport.ErrBlobNotFound
		}
		return nil, fmt.Errorf("s3blob: stat object: %w", translate(err))
	}
	start, n, err := blobio.Range(st.Size, offset, length)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return blobio.Empty(), nil
	}
	var get minio.GetObjectOptions
	if err := get.SetRange(start, start+n-1); err != nil {
		return nil, fmt.Errorf("s3blob: range: %w", err)
	}
	// Pin the version read: a blob is never rewritten, but a Delete between
	// the stat and the read must show as an error, not as other bytes.
	if err := get.SetMatchETag(st.ETag); err != nil {
		return nil, fmt.Errorf("s3blob: etag: %w", err)
	}
	obj, err := s.client.GetObject(ctx, s.bucket, name, get)
	if err != nil {
		return nil, fmt.Errorf("s3blob: get object: %w", translate(err))
	}
	return obj, nil
}

// Delete removes the object; a missing or malformed key is not an error
// (S3 deletes are idempotent).
func (s *Store) Delete(ctx context.Context, key string) error {
	if !blobio.IsKey(key) {
		return nil
	}
	err := s.client.RemoveObject(ctx, s.bucket, s.object(key), minio.RemoveObjectOptions{})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("s3blob: delete object: %w", translate(err))
	}
	return nil
}

// isNotFound reports whether err says the object does not exist.
func isNotFound(err error) bool {
	resp := minio.ToErrorResponse(err)
	return resp.Code == minio.NoSuchKey || resp.StatusCode == http.StatusNotFound && resp.Code != minio.NoSuchBucket
}

// translate marks the errors that mean the store could not be reached or
// is overloaded as kernel.KindUnavailable (HTTP 503).
func translate(err error) error {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return kernel.Unavailable(err)
	}
	if code := minio.ToErrorResponse(err).StatusCode; code >= 500 || code == http.StatusTooManyRequests {
		return kernel.Unavailable(err)
	}
	return err
}

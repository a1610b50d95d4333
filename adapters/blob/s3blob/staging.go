package s3blob

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.StagingStore = (*Store)(nil)

// A stage is an S3 multipart upload of the blob's own object (prefix+key),
// in parts of PartSize bytes, numbered from 1: part k holds the bytes
// [(k-1)·PartSize, k·PartSize). A part is sent once it is whole; the bytes of
// the part not yet whole wait in a piece object, <prefix>.stages/<key>/<k>,
// which the next write reads back and sends on with its own. The marker
// object <prefix>.stages/<key>/upload holds the upload's id and how many
// bytes the stage holds, rewritten after every write: it is what makes
// those bytes count. CommitStage sends the last piece as the last part and
// completes the upload, which makes the object appear at once, whole.
//
// Memory: a write holds one part (PartSize) at a time.
const stagesPrefix = ".stages/"

// markerName is the object name of a stage's marker.
func (s *Store) markerName(key string) string { return s.prefix + stagesPrefix + key + "/upload" }

// pieceName is the object name of the piece of part k.
func (s *Store) pieceName(key string, k int64) string {
	return s.prefix + stagesPrefix + key + "/" + strconv.FormatInt(k, 10)
}

// marker is what a stage's marker object holds.
type marker struct {
	UploadID string `json:"upload_id"`
	Held     int64  `json:"held"`
}

// CreateStage starts a multipart upload of the object and writes its marker.
func (s *Store) CreateStage(ctx context.Context) (string, error) {
	key := blobio.NewKey()
	id, err := s.core.NewMultipartUpload(ctx, s.bucket, s.object(key), minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return "", fmt.Errorf("s3blob: start stage: %w", translate(err))
	}
	if err := s.putMarker(ctx, key, marker{UploadID: id}); err != nil {
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		_ = s.core.AbortMultipartUpload(actx, s.bucket, s.object(key), id)
		return "", err
	}
	return key, nil
}

func (s *Store) putMarker(ctx context.Context, key string, m marker) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("s3blob: encode marker: %w", err)
	}
	_, err = s.client.PutObject(ctx, s.bucket, s.markerName(key), bytes.NewReader(b), int64(len(b)),
		minio.PutObjectOptions{ContentType: "application/json"})
	if err != nil {
		return fmt.Errorf("s3blob: write marker: %w", translate(err))
	}
	return nil
}

// loadMarker reads a stage's marker; a stage that is not there is
// ErrBlobNotFound.
func (s *Store) loadMarker(ctx context.Context, key string) (marker, error) {
	if !blobio.IsKey(key) {
		return marker{}, platformport.ErrBlobNotFound
	}
	b, err := s.readObject(ctx, s.markerName(key), 0, -1)
	if err != nil {
		return marker{}, err
	}
	var m marker
	if err := json.Unmarshal(b, &m); err != nil || m.UploadID == "" {
		return marker{}, fmt.Errorf("s3blob: marker of stage %s is damaged: %w", key, err)
	}
	return m, nil
}

// readObject reads length bytes of an object from offset (length < 0: to
// the end); a missing object is ErrBlobNotFound.
func (s *Store) readObject(ctx context.Context, name string, offset, length int64) ([]byte, error) {
	var opts minio.GetObjectOptions
	if offset > 0 || length >= 0 {
		end := int64(0) // minio-go: an end of 0 means to the end
		if length >= 0 {
			end = offset + length - 1
		}
		if err := opts.SetRange(offset, end); err != nil {
			return nil, fmt.Errorf("s3blob: range: %w", err)
		}
	}
	obj, err := s.client.GetObject(ctx, s.bucket, name, opts)
	if err != nil {
		return nil, fmt.Errorf("s3blob: get %s: %w", path.Base(name), translate(err))
	}
	defer func() { _ = obj.Close() }()
	b, err := io.ReadAll(obj)
	if err != nil {
		if isNotFound(err) {
			return nil, platformport.ErrBlobNotFound
		}
		return nil, fmt.Errorf("s3blob: read %s: %w", path.Base(name), translate(err))
	}
	return b, nil
}

// WriteStage reads the piece of the part offset falls in back, fills parts
// from r and sends each once whole, keeps the rest as the piece of the next
// part and records the new length in the marker. When r fails or ctx ends,
// the piece and the marker are written on a context of their own, so that
// what arrived is kept.
func (s *Store) WriteStage(ctx context.Context, key string, offset int64, r io.Reader, maxBytes int64) (int64, error) {
	if offset < 0 {
		return 0, fmt.Errorf("s3blob: negative offset %d", offset)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	m, err := s.loadMarker(ctx, key)
	if err != nil {
		return 0, err
	}
	if offset > m.Held {
		return 0, platformport.ErrStageOffset
	}
	size := int64(s.partSize) // #nosec G115 -- New bounds the part size by MaxPartSize
	k, in := offset/size+1, offset%size
	buf := make([]byte, 0, size)
	if in > 0 {
		piece, err := s.readObject(ctx, s.pieceName(key, k), 0, in)
		if err != nil {
			return 0, err
		}
		if int64(len(piece)) < in {
			return 0, platformport.ErrStageOffset
		}
		buf = append(buf, piece...)
	}
	rd := blobio.NewReader(ctx, r, maxBytes)
	var read int64
	for {
		n, rerr := blobio.Fill(rd, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		read += int64(n)
		if rerr == nil { // a whole part
			if _, err := s.core.PutObjectPart(ctx, s.bucket, s.object(key), m.UploadID, int(k), bytes.NewReader(buf),
				int64(len(buf)), minio.PutObjectPartOptions{}); err != nil {
				return 0, fmt.Errorf("s3blob: send part %d: %w", k, translate(err))
			}
			k, buf = k+1, buf[:0]
			continue
		}
		if errors.Is(rerr, io.EOF) {
			rerr = nil
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if len(buf) > 0 {
			if _, err := s.client.PutObject(fctx, s.bucket, s.pieceName(key, k), bytes.NewReader(buf), int64(len(buf)),
				minio.PutObjectOptions{ContentType: "application/octet-stream"}); err != nil {
				return 0, errors.Join(rerr, fmt.Errorf("s3blob: write piece: %w", translate(err)))
			}
		}
		m.Held = offset + read
		if err := s.putMarker(fctx, key, m); err != nil {
			return 0, errors.Join(rerr, err)
		}
		return read, rerr
	}
}

// CommitStage sends the last piece as the last part and completes the
// multipart upload, then deletes the marker and the pieces.
func (s *Store) CommitStage(ctx context.Context, key string, size int64) (string, error) {
	m, err := s.loadMarker(ctx, key)
	if errors.Is(err, platformport.ErrBlobNotFound) && blobio.IsKey(key) {
		if _, serr := s.client.StatObject(ctx, s.bucket, s.object(key), minio.StatObjectOptions{}); serr == nil {
			return key, nil // committed already
		}
	}
	if err != nil {
		return "", err
	}
	if m.Held != size {
		return "", platformport.ErrStageIncomplete
	}
	if size == 0 {
		// S3 completes no upload of zero parts: the empty object is put.
		if _, err := s.client.PutObject(ctx, s.bucket, s.object(key), bytes.NewReader(nil), 0,
			minio.PutObjectOptions{ContentType: "application/octet-stream"}); err != nil {
			return "", fmt.Errorf("s3blob: put empty blob: %w", translate(err))
		}
		return key, s.endStage(ctx, key, m)
	}
	partSize := int64(s.partSize) // #nosec G115 -- New bounds the part size by MaxPartSize
	last := (size + partSize - 1) / partSize
	if rest := size % partSize; rest != 0 {
		piece, err := s.readObject(ctx, s.pieceName(key, last), 0, rest)
		if err != nil {
			return "", err
		}
		if int64(len(piece)) != rest {
			return "", platformport.ErrStageIncomplete
		}
		if _, err := s.core.PutObjectPart(ctx, s.bucket, s.object(key), m.UploadID, int(last), bytes.NewReader(piece),
			rest, minio.PutObjectPartOptions{}); err != nil {
			return "", fmt.Errorf("s3blob: send the last part: %w", translate(err))
		}
	}
	parts, err := s.parts(ctx, key, m.UploadID, last)
	if err != nil {
		return "", err
	}
	if _, err := s.core.CompleteMultipartUpload(ctx, s.bucket, s.object(key), m.UploadID, parts,
		minio.PutObjectOptions{ContentType: "application/octet-stream"}); err != nil {
		return "", fmt.Errorf("s3blob: complete the upload: %w", translate(err))
	}
	return key, s.endStage(ctx, key, m)
}

// parts lists the parts 1 to last of an upload, each of which must be there.
func (s *Store) parts(ctx context.Context, key, uploadID string, last int64) ([]minio.CompletePart, error) {
	etags := make(map[int]string, last)
	marker := 0
	for {
		res, err := s.core.ListObjectParts(ctx, s.bucket, s.object(key), uploadID, marker, 1000)
		if err != nil {
			return nil, fmt.Errorf("s3blob: list parts: %w", translate(err))
		}
		for _, p := range res.ObjectParts {
			etags[p.PartNumber] = p.ETag
		}
		if !res.IsTruncated || res.NextPartNumberMarker <= marker {
			break
		}
		marker = res.NextPartNumberMarker
	}
	out := make([]minio.CompletePart, 0, last)
	for k := 1; k <= int(last); k++ {
		etag, ok := etags[k]
		if !ok {
			return nil, fmt.Errorf("s3blob: part %d of stage %s is missing: %w", k, key, platformport.ErrStageIncomplete)
		}
		out = append(out, minio.CompletePart{PartNumber: k, ETag: etag})
	}
	return out, nil
}

// endStage deletes a stage's pieces, then its marker.
func (s *Store) endStage(ctx context.Context, key string, _ marker) error {
	prefix := s.prefix + stagesPrefix + key + "/"
	var names []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if obj.Err != nil {
			return fmt.Errorf("s3blob: list pieces: %w", translate(obj.Err))
		}
		if obj.Key != s.markerName(key) {
			names = append(names, obj.Key)
		}
	}
	for _, name := range append(names, s.markerName(key)) {
		if err := s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{}); err != nil && !isNotFound(err) {
			return fmt.Errorf("s3blob: delete %s: %w", path.Base(name), translate(err))
		}
	}
	return nil
}

// AbortStage aborts the multipart upload and deletes the pieces and the
// marker, the marker last, so that a failure half-way leaves a stage for
// the next sweep. A committed stage has no marker: its object stays.
func (s *Store) AbortStage(ctx context.Context, key string) error {
	m, err := s.loadMarker(ctx, key)
	if errors.Is(err, platformport.ErrBlobNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := s.core.AbortMultipartUpload(ctx, s.bucket, s.object(key), m.UploadID); err != nil &&
		minio.ToErrorResponse(err).Code != minio.NoSuchUpload {
		return fmt.Errorf("s3blob: abort the upload: %w", translate(err))
	}
	return s.endStage(ctx, key, m)
}

// SweepStages aborts the stages whose marker was last written before before.
func (s *Store) SweepStages(ctx context.Context, before time.Time) (int, error) {
	var old []string
	for obj := range s.client.ListObjects(ctx, s.bucket, minio.ListObjectsOptions{Prefix: s.prefix + stagesPrefix, Recursive: true}) {
		if obj.Err != nil {
			return 0, fmt.Errorf("s3blob: list stages: %w", translate(obj.Err))
		}
		rest := strings.TrimPrefix(obj.Key, s.prefix+stagesPrefix)
		key, name, ok := strings.Cut(rest, "/")
		if ok && name == "upload" && blobio.IsKey(key) && obj.LastModified.Before(before) {
			old = append(old, key)
		}
	}
	n := 0
	for _, key := range old {
		if err := s.AbortStage(ctx, key); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// Package gridfsblob keeps blobs in MongoDB's GridFS through the driver's
// GridFSBucket: a "blobs.files" document per blob and its contents in
// "blobs.chunks" documents of 255 KiB, which any GridFS tool reads.
//
// The driver gives a whole upload or download one deadline: the caller's
// context's, or else the client's operation timeout (mongostore.Connect sets
// 4 s), which a large file from a browser always outlasts. So every transfer
// runs on a context with a deadline of its own (transferTimeout, or the
// caller's when sooner). The caller can still cancel it at any point, and a
// server that stops answering fails it once the driver's monitor notices,
// as it fails any operation in flight.
//
// A blob is visible under its key only once all its chunks are stored: the
// driver inserts the files document last. A failed Put removes what it
// wrote; a crash in the middle of one leaves chunks without a files document,
// which RemoveOrphans removes. Uploads in pieces are staged as chunks of a
// blob whose files document comes with their commit (staging.go).
//
// What the driver costs: an upload holds up to 16 MiB in memory before it
// writes chunks, a download a cursor batch (up to 16 MiB), and a read from an
// offset fetches the chunks before it.
package gridfsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.BlobStore = (*Store)(nil)

// Bucket is the GridFS bucket's name: the collections are Bucket+".files"
// and Bucket+".chunks".
const Bucket = "blobs"

const (
	filesCollection  = Bucket + ".files"
	chunksCollection = Bucket + ".chunks"
	// transferTimeout bounds one upload or download, whatever its size.
	transferTimeout = 24 * time.Hour
	// cleanupTimeout bounds the removal of a failed upload, which runs even
	// when the upload's context is cancelled.
	cleanupTimeout = 30 * time.Second
)

// Store is a BlobStore in a MongoDB database. Keys are ObjectIDs in hex (24
// lower-case hex digits). It is safe for concurrent use.
type Store struct {
	bucket  *mongo.GridFSBucket
	staging *mongo.Collection
	// opening holds uploads to one opening at a time: a GridFSBucket records
	// its first write (the check of its indexes) in a field it does not guard.
	// Only the first opening does a round trip.
	opening sync.Mutex
}

// New returns a store in db, creating the GridFS indexes when missing (those
// the driver creates before a bucket's first upload), so that a store that
// cannot is refused at start.
func New(ctx context.Context, db *mongo.Database) (*Store, error) {
	err := mongostore.EnsureIndexes(ctx, db, []mongostore.Index{
		{Collection: filesCollection, Keys: bson.D{{Key: "filename", Value: 1}, {Key: "uploadDate", Value: 1}}},
		{Collection: chunksCollection, Keys: bson.D{{Key: "files_id", Value: 1}, {Key: "n", Value: 1}}, Unique: true},
		{Collection: stagingCollection, Keys: bson.D{{Key: "created_at", Value: 1}}},
	})
	if err != nil {
		return nil, fmt.Errorf("gridfsblob: %w", err)
	}
	return &Store{bucket: db.GridFSBucket(options.GridFSBucket().SetName(Bucket)), staging: db.Collection(stagingCollection)}, nil
}

// Put streams r into a new blob, named by its key.
func (s *Store) Put(ctx context.Context, r io.Reader, maxBytes int64) (platformport.BlobInfo, error) {
	if err := ctx.Err(); err != nil {
		return platformport.BlobInfo{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, transferTimeout)
	defer cancel()
	id := bson.NewObjectID()
	s.opening.Lock()
	upload, err := s.bucket.OpenUploadStreamWithID(ctx, id, id.Hex())
	s.opening.Unlock()
	if err != nil {
		return platformport.BlobInfo{}, fmt.Errorf("gridfsblob: open upload: %w", mongostore.Translate(err))
	}

	src := blobio.NewReader(ctx, r, maxBytes)
	_, err = io.Copy(upload, src)
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = upload.Close() // the last chunks, then the files document
	}
	if err != nil {
		s.discard(ctx, id)
		if serr := src.Err(); serr != nil {
			return platformport.BlobInfo{}, serr // the limit crossed, the context done, the source failing
		}
		if cerr := ctx.Err(); cerr != nil {
			return platformport.BlobInfo{}, cerr
		}
		return platformport.BlobInfo{}, fmt.Errorf("gridfsblob: store blob: %w", mongostore.Translate(err))
	}
	return src.Info(id.Hex()), nil
}

// discard removes what a failed Put stored, on a context of its own since
// ctx may be why it failed (the upload stream's Abort would use that one):
// the files document, which a Close whose answer was lost may have written,
// then the chunks. A failure here leaves orphaned chunks for RemoveOrphans.
func (s *Store) discard(ctx context.Context, id bson.ObjectID) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	_ = s.bucket.Delete(ctx, id) // mostly ErrFileNotFound: the chunks go all the same
}

// Open reads [offset, offset+length) of the blob. The reader fetches chunks
// on ctx (with a transfer deadline of its own): it fails once ctx is done.
// Close it to free its cursor.
func (s *Store) Open(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	id, ok := mongostore.ObjectID(key)
	if !ok {
		return nil, platformport.ErrBlobNotFound
	}
	ctx, cancel := context.WithTimeout(ctx, transferTimeout)
	download, err := s.bucket.OpenDownloadStream(ctx, id)
	if err != nil {
		cancel()
		if errors.Is(err, mongo.ErrFileNotFound) {
			return nil, platformport.ErrBlobNotFound
		}
		return nil, fmt.Errorf("gridfsblob: open blob: %w", mongostore.Translate(err))
	}
	r := &reader{download: download, cancel: cancel, key: key}
	start, n, err := blobio.Range(download.GetFile().Length, offset, length)
	if err != nil || n == 0 {
		_ = r.Close()
		if err != nil {
			return nil, err
		}
		return blobio.Empty(), nil
	}
	if skipped, err := download.Skip(start); err != nil || skipped < start {
		_ = r.Close()
		return nil, r.failure(err)
	}
	r.left = n
	return r, nil
}

// reader reads a range of a blob from the driver's download stream.
type reader struct {
	download *mongo.GridFSDownloadStream
	cancel   context.CancelFunc
	key      string
	left     int64 // bytes of the range not yet read
	closed   bool
}

// Read implements io.Reader.
func (r *reader) Read(p []byte) (int, error) {
	if r.closed {
		return 0, errClosed
	}
	if r.left == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.left {
		p = p[:r.left]
	}
	n, err := r.download.Read(p)
	r.left -= int64(n)
	switch {
	case errors.Is(err, io.EOF) && r.left > 0, err != nil && !errors.Is(err, io.EOF):
		return n, r.failure(err)
	case r.left == 0:
		return n, io.EOF
	}
	return n, nil
}

// errClosed is what a closed reader returns.
var errClosed = errors.New("gridfsblob: read from a closed blob reader")

// failure describes a read that stopped before the end of its range: a blob
// whose chunks are missing or damaged (deleted meanwhile) is never returned
// short as if it were whole.
func (r *reader) failure(err error) error {
	switch {
	case err == nil, errors.Is(err, io.EOF), errors.Is(err, mongo.ErrMissingChunk), errors.Is(err, mongo.ErrWrongSize):
		return fmt.Errorf("gridfsblob: blob %s is missing chunks: %w", r.key, io.ErrUnexpectedEOF)
	default:
		return fmt.Errorf("gridfsblob: read blob %s: %w", r.key, mongostore.Translate(err))
	}
}

// Close ends the reader and frees its server cursor.
func (r *reader) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	_ = r.download.Close() // the server times an abandoned cursor out anyway
	r.cancel()
	return nil
}

// Delete removes the files document, then the chunks, so that a blob is
// never visible with chunks missing. A missing or malformed key is not an
// error; deleting again finishes a delete that failed half-way.
func (s *Store) Delete(ctx context.Context, key string) error {
	id, ok := mongostore.ObjectID(key)
	if !ok {
		return nil
	}
	if err := s.bucket.Delete(ctx, id); err != nil && !errors.Is(err, mongo.ErrFileNotFound) {
		return fmt.Errorf("gridfsblob: delete blob: %w", mongostore.Translate(err))
	}
	return nil
}

// RemoveOrphans removes the chunks that belong to no files document and were
// written more than olderThan ago: what uploads interrupted by a crash left.
// olderThan must exceed the longest upload (a day is safe), since the chunks
// of an upload in progress have no files document yet; the chunks of a stage
// (an upload in pieces) are left to SweepStages. It reads the owner of
// every such chunk (a scan: run it at start-up or from a maintenance job,
// not per request) and returns how many blobs' chunks it removed.
func (s *Store) RemoveOrphans(ctx context.Context, olderThan time.Duration) (int, error) {
	chunks, files := s.bucket.GetChunksCollection(), s.bucket.GetFilesCollection()
	cutoff := bson.NewObjectIDFromTimestamp(time.Now().Add(-olderThan))
	filter := bson.D{{Key: "files_id", Value: bson.D{{Key: "$lt", Value: cutoff}}}}
	opts := options.Find().SetProjection(bson.D{{Key: "files_id", Value: 1}, {Key: "_id", Value: 0}})
	cur, err := chunks.Find(ctx, filter, opts)
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: find chunk owners: %w", mongostore.Translate(err))
	}
	owners := make(map[bson.ObjectID]struct{})
	for cur.Next(ctx) {
		var c struct {
			FileID bson.ObjectID `bson:"files_id"`
		}
		if err := cur.Decode(&c); err == nil {
			owners[c.FileID] = struct{}{}
		}
	}
	err = cur.Err()
	_ = cur.Close(ctx)
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: find chunk owners: %w", mongostore.Translate(err))
	}

	removed := 0
	for id := range owners {
		err := files.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Err()
		if err == nil {
			continue
		}
		if !errors.Is(err, mongo.ErrNoDocuments) {
			return removed, fmt.Errorf("gridfsblob: find files document: %w", mongostore.Translate(err))
		}
		if staged, err := s.stageExists(ctx, id); err != nil || staged {
			if err != nil {
				return removed, err
			}
			continue
		}
		if _, err := chunks.DeleteMany(ctx, bson.D{{Key: "files_id", Value: id}}); err != nil {
			return removed, fmt.Errorf("gridfsblob: delete orphaned chunks: %w", mongostore.Translate(err))
		}
		removed++
	}
	return removed, nil
}

// CountChunks returns the number of documents in the chunks collection of
// db, so that tests can prove that no chunks were orphaned.
func CountChunks(ctx context.Context, db *mongo.Database) (int64, error) {
	return count(ctx, db, chunksCollection, "chunks")
}

// CountFiles returns the number of documents in the files collection of db.
func CountFiles(ctx context.Context, db *mongo.Database) (int64, error) {
	return count(ctx, db, filesCollection, "files")
}

// count returns the number of documents in collection of db (for tests).
func count(ctx context.Context, db *mongo.Database, collection, what string) (int64, error) {
	n, err := db.Collection(collection).CountDocuments(ctx, bson.D{})
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: count %s: %w", what, mongostore.Translate(err))
	}
	return n, nil
}

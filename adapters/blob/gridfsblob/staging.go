package gridfsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/blob/internal/blobio"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/ports/platformport"
)

var _ platformport.StagingStore = (*Store)(nil)

// A stage is a document of Bucket+".staging" ({_id, created_at}) and the
// chunks written so far, in the chunks collection under the stage's id as
// files_id, each ChunkSize bytes but for the last: exactly the chunks GridFS
// reads. CommitStage inserts the files document that makes them a blob
// and deletes the staging document; until then no GridFS reader sees them,
// and RemoveOrphans leaves them alone.
const stagingCollection = Bucket + ".staging"

// ChunkSize is the size of the chunks of a staged blob (GridFS's default,
// which Put's driver uploads use too).
const ChunkSize = int64(mongo.DefaultGridFSChunkSize)

type stageDoc struct {
	ID        bson.ObjectID `bson:"_id"`
	CreatedAt time.Time     `bson:"created_at"`
}

type chunkDoc struct {
	FilesID bson.ObjectID `bson:"files_id"`
	N       int32         `bson:"n"`
	Data    []byte        `bson:"data"`
}

// CreateStage inserts a staging document.
func (s *Store) CreateStage(ctx context.Context) (string, error) {
	id := bson.NewObjectID()
	if _, err := s.staging.InsertOne(ctx, stageDoc{ID: id, CreatedAt: time.Now().UTC()}); err != nil {
		return "", fmt.Errorf("gridfsblob: create stage: %w", mongostore.Translate(err))
	}
	return id.Hex(), nil
}

// stageExists reports whether id names a stage not yet committed or aborted.
func (s *Store) stageExists(ctx context.Context, id bson.ObjectID) (bool, error) {
	return exists(ctx, s.staging, id)
}

func exists(ctx context.Context, c *mongo.Collection, id bson.ObjectID) (bool, error) {
	err := c.FindOne(ctx, bson.D{{Key: "_id", Value: id}}, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err()
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	}
	return false, fmt.Errorf("gridfsblob: find %s: %w", c.Name(), mongostore.Translate(err))
}

// chunk returns chunk n of a stage, nil when there is none.
func (s *Store) chunk(ctx context.Context, id bson.ObjectID, n int64) ([]byte, error) {
	var c chunkDoc
	err := s.bucket.GetChunksCollection().FindOne(ctx, bson.D{{Key: "files_id", Value: id}, {Key: "n", Value: n}}).Decode(&c)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("gridfsblob: read chunk: %w", mongostore.Translate(err))
	}
	if c.Data == nil {
		c.Data = []byte{}
	}
	return c.Data, nil
}

// putChunk writes chunk n of a stage, replacing the one there.
func (s *Store) putChunk(ctx context.Context, id bson.ObjectID, n int64, data []byte) error {
	if n > int64(^uint32(0)>>1) {
		return fmt.Errorf("gridfsblob: chunk %d past the chunk numbers of GridFS", n)
	}
	doc := chunkDoc{FilesID: id, N: int32(n), Data: data} // #nosec G115 -- bounded just above
	_, err := s.bucket.GetChunksCollection().ReplaceOne(ctx, bson.D{{Key: "files_id", Value: id}, {Key: "n", Value: n}}, doc,
		options.Replace().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("gridfsblob: write chunk: %w", mongostore.Translate(err))
	}
	return nil
}

// dropChunks deletes the chunks of a stage from number from on.
func (s *Store) dropChunks(ctx context.Context, id bson.ObjectID, from int64) error {
	filter := bson.D{{Key: "files_id", Value: id}, {Key: "n", Value: bson.D{{Key: "$gte", Value: from}}}}
	if _, err := s.bucket.GetChunksCollection().DeleteMany(ctx, filter); err != nil {
		return fmt.Errorf("gridfsblob: delete chunks: %w", mongostore.Translate(err))
	}
	return nil
}

// WriteStage rewrites the chunk offset falls in from its first bytes, drops
// the chunks after it, and writes what r yields in whole chunks, the last
// one partial. The partial chunk is written when r ends, fails or its
// context ends: on a context of its own, so that what arrived is kept.
func (s *Store) WriteStage(ctx context.Context, key string, offset int64, r io.Reader, maxBytes int64) (int64, error) {
	id, ok := mongostore.ObjectID(key)
	if !ok {
		return 0, platformport.ErrBlobNotFound
	}
	if offset < 0 {
		return 0, fmt.Errorf("gridfsblob: negative offset %d", offset)
	}
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	switch live, err := s.stageExists(ctx, id); {
	case err != nil:
		return 0, err
	case !live:
		return 0, platformport.ErrBlobNotFound
	}
	n, in := offset/ChunkSize, offset%ChunkSize
	buf := make([]byte, 0, ChunkSize)
	switch {
	case in > 0:
		data, err := s.chunk(ctx, id, n)
		if err != nil {
			return 0, err
		}
		if int64(len(data)) < in {
			return 0, platformport.ErrStageOffset
		}
		buf = append(buf, data[:in]...)
	case offset > 0:
		data, err := s.chunk(ctx, id, n-1)
		if err != nil {
			return 0, err
		}
		if int64(len(data)) != ChunkSize {
			return 0, platformport.ErrStageOffset
		}
	}
	if err := s.dropChunks(ctx, id, n+1); err != nil {
		return 0, err
	}
	if in == 0 {
		if err := s.dropChunks(ctx, id, n); err != nil {
			return 0, err
		}
	}
	return s.writeChunks(ctx, id, n, buf, blobio.NewReader(ctx, r, maxBytes))
}

// writeChunks fills buf (chunk n, holding its first bytes) from rd and
// writes every full chunk, then the partial one, and counts the bytes of rd
// in the chunks written.
func (s *Store) writeChunks(ctx context.Context, id bson.ObjectID, n int64, buf []byte, rd io.Reader) (int64, error) {
	var staged int64
	pending := int64(0) // bytes of rd in buf
	for {
		k, rerr := blobio.Fill(rd, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+k]
		pending += int64(k)
		if rerr == nil { // a full chunk
			if err := s.putChunk(ctx, id, n, buf); err != nil {
				return staged, err
			}
			staged += pending
			n, buf, pending = n+1, buf[:0], 0
			continue
		}
		if errors.Is(rerr, io.EOF) {
			rerr = nil // the end; a truncated body is another error
		}
		if len(buf) > 0 {
			fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
			err := s.putChunk(fctx, id, n, buf)
			cancel()
			if err != nil {
				return staged, errors.Join(rerr, err)
			}
			staged += pending
		}
		return staged, rerr
	}
}

// CommitStage checks the stage's length, inserts its files document and
// deletes the staging document.
func (s *Store) CommitStage(ctx context.Context, key string, size int64) (string, error) {
	id, ok := mongostore.ObjectID(key)
	if !ok {
		return "", platformport.ErrBlobNotFound
	}
	live, err := s.stageExists(ctx, id)
	if err != nil {
		return "", err
	}
	committed, err := exists(ctx, s.bucket.GetFilesCollection(), id)
	if err != nil {
		return "", err
	}
	switch {
	case committed:
		return key, s.endStage(ctx, id)
	case !live:
		return "", platformport.ErrBlobNotFound
	}
	switch held, err := s.held(ctx, id); {
	case err != nil:
		return "", err
	case held != size:
		return "", platformport.ErrStageIncomplete
	}
	files := bson.D{
		{Key: "_id", Value: id},
		{Key: "length", Value: size},
		{Key: "chunkSize", Value: int32(ChunkSize)},
		{Key: "uploadDate", Value: bson.DateTime(time.Now().UnixMilli())},
		{Key: "filename", Value: key},
	}
	if _, err := s.bucket.GetFilesCollection().InsertOne(ctx, files); err != nil && !mongostore.IsDuplicateKey(err) {
		return "", fmt.Errorf("gridfsblob: insert files document: %w", mongostore.Translate(err))
	}
	return key, s.endStage(ctx, id)
}

// held returns the number of bytes a stage's chunks hold.
func (s *Store) held(ctx context.Context, id bson.ObjectID) (int64, error) {
	var last chunkDoc
	err := s.bucket.GetChunksCollection().FindOne(ctx, bson.D{{Key: "files_id", Value: id}},
		options.FindOne().SetSort(bson.D{{Key: "n", Value: -1}})).Decode(&last)
	switch {
	case err == nil:
		return int64(last.N)*ChunkSize + int64(len(last.Data)), nil
	case errors.Is(err, mongo.ErrNoDocuments):
		return 0, nil
	}
	return 0, fmt.Errorf("gridfsblob: find the last chunk: %w", mongostore.Translate(err))
}

// endStage deletes a stage's staging document.
func (s *Store) endStage(ctx context.Context, id bson.ObjectID) error {
	if _, err := s.staging.DeleteOne(ctx, bson.D{{Key: "_id", Value: id}}); err != nil {
		return fmt.Errorf("gridfsblob: delete staging document: %w", mongostore.Translate(err))
	}
	return nil
}

// AbortStage deletes a stage's chunks, then its staging document, so that a
// failure half-way leaves a stage for the next sweep. A committed stage's
// chunks are its blob's: they stay.
func (s *Store) AbortStage(ctx context.Context, key string) error {
	id, ok := mongostore.ObjectID(key)
	if !ok {
		return nil
	}
	live, err := s.stageExists(ctx, id)
	if err != nil || !live {
		return err
	}
	committed, err := exists(ctx, s.bucket.GetFilesCollection(), id)
	if err != nil {
		return err
	}
	if !committed {
		if err := s.dropChunks(ctx, id, 0); err != nil {
			return err
		}
	}
	return s.endStage(ctx, id)
}

// SweepStages aborts the stages whose staging document is older than before.
func (s *Store) SweepStages(ctx context.Context, before time.Time) (int, error) {
	cur, err := s.staging.Find(ctx, bson.D{{Key: "created_at", Value: bson.D{{Key: "$lt", Value: before.UTC()}}}})
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: find stages: %w", mongostore.Translate(err))
	}
	var old []stageDoc
	err = cur.All(ctx, &old)
	if err != nil {
		return 0, fmt.Errorf("gridfsblob: find stages: %w", mongostore.Translate(err))
	}
	n := 0
	for _, st := range old {
		if err := s.AbortStage(ctx, st.ID.Hex()); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// CountStages returns the number of stages in db (for tests).
func CountStages(ctx context.Context, db *mongo.Database) (int64, error) {
	return count(ctx, db, stagingCollection, "stages")
}

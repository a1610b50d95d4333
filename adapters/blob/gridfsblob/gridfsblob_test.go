package gridfsblob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/civicdatatrust/civictrust/adapters/blob/gridfsblob"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore/mongotest"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

// newStore returns a store in a fresh database.
func newStore(t *testing.T) (*gridfsblob.Store, *mongo.Database) {
	t.Helper()
	db := mongotest.Database(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s, err := gridfsblob.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

func TestBlobStore(t *testing.T) {
	dbs := make(map[platformport.BlobStore]*mongo.Database)
	platformporttest.TestBlobStore(t, func(t *testing.T) platformport.BlobStore {
		s, db := newStore(t)
		dbs[s] = db
		return s
	}, platformporttest.SuiteOptions{
		// Larger files only slow the suite on FerretDB.
		MaxFileSize: 8 << 20,
		Count: func(t *testing.T, s platformport.BlobStore) int {
			return count(t, dbs[s])
		},
	})
}

// count returns the number of chunks and files documents in db.
func count(t *testing.T, db *mongo.Database) int {
	t.Helper()
	ctx := context.Background()
	chunks, err := gridfsblob.CountChunks(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	files, err := gridfsblob.CountFiles(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	return int(chunks + files)
}

func TestDriverReadsWhatStoreWrites(t *testing.T) {
	ctx := context.Background()
	s, db := newStore(t)
	data := bytes.Repeat([]byte("0123456789abcdef"), (600<<10)/16+1)
	info, err := s.Put(ctx, bytes.NewReader(data), 0)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := gridfsblob.CountChunks(ctx, db); err != nil || n != 3 {
		t.Errorf("CountChunks = %d, %v; want 3 chunks of 255 KiB", n, err)
	}
	id, err := bson.ObjectIDFromHex(info.Key)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	bucket := db.GridFSBucket(options.GridFSBucket().SetName(gridfsblob.Bucket))
	if _, err := bucket.DownloadToStream(ctx, id, &out); err != nil {
		t.Fatalf("the driver's GridFS cannot read the blob: %v", err)
	}
	if !bytes.Equal(out.Bytes(), data) {
		t.Error("the driver's GridFS reads other bytes")
	}
}

// slowReader yields n zero bytes at rate bytes per second, as a slow client
// sends them, whatever the size of the reads.
type slowReader struct {
	n    int
	rate int
}

func (r *slowReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	time.Sleep(time.Duration(k) * time.Second / time.Duration(r.rate))
	clear(p[:k])
	r.n -= k
	return k, nil
}

// mongotest's client has a 4 s operation timeout (that of mongostore.Connect),
// which the driver's GridFS streams would apply to a whole transfer.
func TestSlowTransfersOutlastTheOperationTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 10 s")
	}
	ctx := context.Background()
	s, _ := newStore(t)
	const size = 2 << 20
	info, err := s.Put(ctx, &slowReader{n: size, rate: 400 << 10}, 0) // 5 s
	if err != nil {
		t.Fatalf("a 5 s upload failed: %v", err)
	}
	rc, err := s.Open(ctx, info.Key, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	p := make([]byte, 256<<10)
	total := 0
	for {
		n, err := rc.Read(p) // 8 reads, 5 s
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("a 5 s download failed after %d bytes: %v", total, err)
		}
		time.Sleep(600 * time.Millisecond)
	}
	if total != size {
		t.Errorf("read %d bytes, want %d", total, size)
	}
}

func TestRemoveOrphans(t *testing.T) {
	ctx := context.Background()
	s, db := newStore(t)
	kept, err := s.Put(ctx, bytes.NewReader([]byte("kept")), 0)
	if err != nil {
		t.Fatal(err)
	}
	chunks := db.Collection(gridfsblob.Bucket + ".chunks")
	old := bson.NewObjectIDFromTimestamp(time.Now().Add(-48 * time.Hour)) // a crash's leftovers
	recent := bson.NewObjectID()                                          // an upload in progress
	for _, c := range []struct {
		owner bson.ObjectID
		n     int32
	}{{old, 0}, {old, 1}, {old, 2}, {recent, 0}} {
		doc := bson.D{
			{Key: "files_id", Value: c.owner},
			{Key: "n", Value: c.n},
			{Key: "data", Value: []byte("x")},
		}
		if _, err := chunks.InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	n, err := s.RemoveOrphans(ctx, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("RemoveOrphans removed the chunks of %d blobs, want 1", n)
	}
	if c, _ := gridfsblob.CountChunks(ctx, db); c != 2 {
		t.Errorf("%d chunks left, want 2 (the kept blob's and the upload in progress')", c)
	}
	rc, err := s.Open(ctx, kept.Key, 0, -1)
	if err != nil {
		t.Fatal(err)
	}
	_ = rc.Close()
}

func TestMissingChunkIsAnErrorNotAShortBlob(t *testing.T) {
	ctx := context.Background()
	s, db := newStore(t)
	info, err := s.Put(ctx, bytes.NewReader(make([]byte, 600<<10)), 0)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := bson.ObjectIDFromHex(info.Key)
	chunks := db.Collection(gridfsblob.Bucket + ".chunks")
	for _, n := range []int32{2, 1} { // the last chunk, then one in the middle
		if _, err := chunks.DeleteOne(ctx, bson.D{{Key: "files_id", Value: id}, {Key: "n", Value: n}}); err != nil {
			t.Fatal(err)
		}
		rc, err := s.Open(ctx, info.Key, 0, -1)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.ReadAll(rc)
		_ = rc.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("reading a blob without chunk %d: %v, want io.ErrUnexpectedEOF", n, err)
		}
	}
}

func TestStagingStore(t *testing.T) {
	dbs := make(map[platformporttest.StagedStore]*mongo.Database)
	platformporttest.TestStagingStore(t, func(t *testing.T) platformporttest.StagedStore {
		s, db := newStore(t)
		dbs[s] = db
		return s
	}, platformporttest.StagingOptions{
		MaxFileSize: 4 << 20,
		PieceSize:   gridfsblob.ChunkSize,
		Count: func(t *testing.T, s platformporttest.StagedStore) int {
			db := dbs[s]
			stages, err := gridfsblob.CountStages(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			return count(t, db) + int(stages)
		},
	})
}

// A committed stage is a blob any GridFS reader reads, and RemoveOrphans
// leaves a stage's chunks alone however old.
func TestStagesAreGridFSFilesOnceCommitted(t *testing.T) {
	ctx := context.Background()
	s, db := newStore(t)
	key, err := s.CreateStage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("0123456789abcdef"), (600<<10)/16+1)
	if _, err := s.WriteStage(ctx, key, 0, bytes.NewReader(data[:300<<10]), 0); err != nil {
		t.Fatal(err)
	}
	if n, err := s.RemoveOrphans(ctx, -time.Hour); err != nil || n != 0 {
		t.Errorf("RemoveOrphans = %d, %v; want the stage's chunks left alone", n, err)
	}
	if _, err := s.WriteStage(ctx, key, 300<<10, bytes.NewReader(data[300<<10:]), 0); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CommitStage(ctx, key, int64(len(data))); err != nil {
		t.Fatal(err)
	}
	id, _ := bson.ObjectIDFromHex(key)
	var out bytes.Buffer
	bucket := db.GridFSBucket(options.GridFSBucket().SetName(gridfsblob.Bucket))
	if _, err := bucket.DownloadToStream(ctx, id, &out); err != nil {
		t.Fatalf("the driver's GridFS cannot read the committed stage: %v", err)
	}
	if !bytes.Equal(out.Bytes(), data) {
		t.Error("the driver's GridFS reads other bytes")
	}
}

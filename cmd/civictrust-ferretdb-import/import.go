package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/civicdatatrust/civictrust/adapters/blob/gridfsblob"
	"github.com/civicdatatrust/civictrust/adapters/mongo/ferretdb"
	"github.com/civicdatatrust/civictrust/adapters/mongo/mongostore"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/auditsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/adapters/system"
	"github.com/civicdatatrust/civictrust/adapters/wiring"
	"github.com/civicdatatrust/civictrust/application/auditapp"
	"github.com/civicdatatrust/civictrust/application/storeapp"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/domain/community"
	"github.com/civicdatatrust/civictrust/domain/dataset"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

// errRefused is an import that did not start: nothing was read or written.
var errRefused = errors.New("refused")

// blobKind is what storeapp counts files as.
const blobKind = "blob"

// report is what an import did.
type report struct {
	from, to string
	counts   map[string]int64 // records by kind
	kept     int              // files already in the blob store, checked
	copied   int              // files copied out of GridFS
	blobs    string           // where the files are
	audited  int64            // audit events verified on the new store
}

// importFolder brings DATA_DIR/db into DATA_DIR/civictrust.db. It refuses
// (errRefused) before anything is done when civictrust.db exists, when there
// is no old store, or when the earlier server still serves it. Whatever fails
// later, no civictrust.db is written and the files it copied are removed.
func importFolder(ctx context.Context, cfg configs.Config, logs io.Writer, progress storeapp.Progress) (report, error) {
	final := wiring.SQLiteFile(cfg)
	old := wiring.FerretDBFolder(cfg)
	rep := report{from: old, to: final, blobs: cfg.BlobDir}
	if cfg.BlobDriver == configs.BlobS3 {
		rep.blobs = "the S3 bucket " + cfg.S3Bucket
	}
	if _, err := os.Lstat(final); err == nil {
		return rep, fmt.Errorf("%w: %s already exists, so nothing was changed (the import writes a new store only; "+
			"move that file away to import again)", errRefused, final)
	}
	source, err := oldDatabase(old, cfg.MongoDBDatabase)
	if err != nil {
		return rep, err
	}
	if ferretdb.Serving(old) {
		return rep, fmt.Errorf("%w: the earlier server still serves %s: stop it, then import", errRefused, old)
	}

	// FerretDB opens its files for writing: it would fold a write-ahead log
	// left by an earlier server that did not stop cleanly into the file, and
	// it puts its socket beside them. On a copy the old folder stays exactly
	// as it was, whatever happens.
	snapshot, err := os.MkdirTemp(cfg.DataDir, ".ferretdb-import-")
	if err != nil {
		return rep, fmt.Errorf("create a working folder in %s: %w", cfg.DataDir, err)
	}
	defer func() { _ = os.RemoveAll(snapshot) }()
	if err := copyDatabase(source, snapshot); err != nil {
		return rep, err
	}

	log := zerolog.New(zerolog.ConsoleWriter{Out: logs, TimeFormat: time.TimeOnly}).Level(zerolog.WarnLevel).With().Timestamp().Logger()
	startCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	store, err := ferretdb.Start(startCtx, ferretdb.Options{Dir: snapshot, Logger: log})
	if err != nil {
		return rep, fmt.Errorf("read %s through FerretDB: %w", old, err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = store.Stop(stopCtx)
	}()
	client, err := mongostore.Connect(startCtx, store.URI(), cfg.MongoDBDatabase)
	if err != nil {
		return rep, fmt.Errorf("read %s through FerretDB: %w", old, err)
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = client.Close(closeCtx)
	}()
	src := storeapp.Side{Store: wiring.MongoDump(client.DB())}
	gridfs, err := oldGridFS(startCtx, client.DB())
	if err != nil {
		return rep, err
	}

	blobs, err := wiring.EmbeddedBlobStore(cfg)
	if err != nil {
		return rep, fmt.Errorf("open the blob store: %w", err)
	}
	written := &putRecorder{BlobStore: blobs}
	tmp, err := write(ctx, cfg, src, gridfs, written, progress, &rep)
	if err == nil {
		err = publish(tmp, final)
	}
	if err != nil {
		removeDatabase(tmp)
		written.removeAll()
		return rep, err
	}
	return rep, nil
}

// oldDatabase is the SQLite file FerretDB kept database name in, in dir.
func oldDatabase(dir, name string) (string, error) {
	file := filepath.Join(dir, name+".sqlite")
	if _, err := os.Stat(file); err == nil {
		return file, nil
	}
	found, _ := filepath.Glob(filepath.Join(dir, "*.sqlite"))
	if len(found) == 0 {
		return "", fmt.Errorf("%w: %s holds no data of the earlier embedded store (no *.sqlite files): nothing to import",
			errRefused, dir)
	}
	names := make([]string, 0, len(found))
	for _, f := range found {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".sqlite"))
	}
	return "", fmt.Errorf("%w: %s holds the databases %s but not %q: set MONGODB_DATABASE to the one to import",
		errRefused, dir, strings.Join(names, ", "), name)
}

// copyDatabase copies the database file and its write-ahead log (what the
// earlier store had not yet written back into the file) into dir.
func copyDatabase(file, dir string) error {
	for _, suffix := range []string{"", "-wal"} {
		err := copyFile(file+suffix, filepath.Join(dir, filepath.Base(file)+suffix))
		if suffix != "" && errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("copy %s: %w", file+suffix, err)
		}
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from) // #nosec G304 -- a file of the operator's data folder
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600) // #nosec G304 -- in our own working folder
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

// oldGridFS is the earlier store's GridFS, or nil when it kept no files there.
func oldGridFS(ctx context.Context, db *mongo.Database) (platformport.BlobStore, error) {
	names, err := db.ListCollectionNames(ctx, bson.D{{Key: "name", Value: gridfsblob.Bucket + ".files"}})
	if err != nil {
		return nil, fmt.Errorf("look for files in GridFS: %w", mongostore.Translate(err))
	}
	if len(names) == 0 {
		return nil, nil
	}
	return gridfsblob.New(ctx, db)
}

// write copies src into a new database file beside civictrust.db and
// verifies it; it returns the file's path, also on failure (so that it is
// removed). The file is closed on return.
func write(ctx context.Context, cfg configs.Config, src storeapp.Side, gridfs platformport.BlobStore,
	blobs platformport.BlobStore, progress storeapp.Progress, rep *report) (string, error) {
	f, err := os.CreateTemp(cfg.DataDir, "civictrust.db.tmp-")
	if err != nil {
		return "", fmt.Errorf("create the new store: %w", err)
	}
	tmp := f.Name()
	if err := f.Close(); err != nil {
		return tmp, err
	}
	db, err := sqlitestore.Open(ctx, tmp, sqlitestore.Options{})
	if err != nil {
		return tmp, err
	}
	err = copyInto(ctx, src, storeapp.Side{
		Store: wiring.SQLiteDump(db),
		Blobs: blobs,
		Audit: auditapp.New(auditsqlite.NewStore(db), system.Clock{}),
	}, gridfs, progress, rep)
	if cerr := db.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("close the new store: %w", cerr)
	}
	return tmp, err
}

// copyInto moves every record of src into dst, and the files: those dst's
// blob store holds already (BLOB_DIR is the same folder as before) are read
// back and checked against their SHA-256; those only GridFS holds are copied.
// Then the counts of both stores are compared kind by kind and the audit
// chain is verified on dst.
func copyInto(ctx context.Context, src, dst storeapp.Side, gridfs platformport.BlobStore, progress storeapp.Progress, rep *report) error {
	loader, err := storeapp.NewLoader(ctx, dst, progress)
	if err != nil {
		return err
	}
	refs, err := fileRefs(ctx, src.Store)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		err := checkBlob(ctx, dst.Blobs, ref)
		if err == nil {
			rep.kept++
			continue
		}
		if !errors.Is(err, platformport.ErrBlobNotFound) {
			return err
		}
		if gridfs == nil {
			return fmt.Errorf("file %s of %s is in neither %s nor GridFS", ref.key, ref.owner, rep.blobs)
		}
		if err := copyBlob(ctx, gridfs, loader, ref); err != nil {
			return err
		}
		rep.copied++
	}
	counts, err := storeapp.Export(ctx, src, loader, false, progress)
	if err != nil {
		return err
	}
	for _, s := range src.Store.Sections() {
		n, err := s.Count(ctx)
		if err != nil {
			return fmt.Errorf("count the %s records: %w", s.Kind(), err)
		}
		if n != counts[string(s.Kind())] {
			return fmt.Errorf("%w: the old store counts %d %s records, %d were read",
				storeapp.ErrCountsDiffer, n, s.Kind(), counts[string(s.Kind())])
		}
	}
	counts[blobKind] = int64(rep.copied)
	done, err := loader.Finish(counts)
	if err != nil {
		return err
	}
	delete(counts, blobKind)
	rep.counts, rep.audited = counts, done.AuditChecked
	return nil
}

// fileRef is a file a record refers to.
type fileRef struct {
	key, sha256 string
	owner       string // the record, for messages
}

// fileRefs lists the files the datasets (every version) and communities
// (their logos) of store refer to, each once, in key order.
func fileRefs(ctx context.Context, store storeport.Store) ([]fileRef, error) {
	byKey := map[string]fileRef{}
	for _, s := range store.Sections() {
		if s.Kind() != storeport.KindDataset && s.Kind() != storeport.KindCommunity {
			continue
		}
		err := s.Each(ctx, func(v any) error {
			switch x := v.(type) {
			case *dataset.Dataset:
				for _, ver := range x.Versions() {
					byKey[ver.File.BlobKey] = fileRef{ver.File.BlobKey, ver.File.SHA256,
						fmt.Sprintf("dataset %s version %d", x.ID(), ver.Number)}
				}
			case *community.Community:
				if x.LogoKey() != "" {
					byKey[x.LogoKey()] = fileRef{x.LogoKey(), x.LogoETag(), "the logo of community " + x.ID()}
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("list the files: %w", err)
		}
	}
	refs := make([]fileRef, 0, len(byKey))
	for _, r := range byKey {
		refs = append(refs, r)
	}
	slices.SortFunc(refs, func(a, b fileRef) int { return strings.Compare(a.key, b.key) })
	return refs, nil
}

// checkBlob reads the file back from blobs and compares its SHA-256.
func checkBlob(ctx context.Context, blobs platformport.BlobStore, ref fileRef) error {
	r, err := blobs.Open(ctx, ref.key, 0, -1)
	if err != nil {
		return err
	}
	defer func() { _ = r.Close() }()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return fmt.Errorf("read file %s of %s: %w", ref.key, ref.owner, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != ref.sha256 {
		return fmt.Errorf("file %s of %s does not match its SHA-256", ref.key, ref.owner)
	}
	return nil
}

func copyBlob(ctx context.Context, gridfs platformport.BlobStore, loader *storeapp.Loader, ref fileRef) error {
	r, err := gridfs.Open(ctx, ref.key, 0, -1)
	if errors.Is(err, platformport.ErrBlobNotFound) {
		return fmt.Errorf("file %s of %s is missing from GridFS", ref.key, ref.owner)
	}
	if err != nil {
		return fmt.Errorf("open file %s in GridFS: %w", ref.key, err)
	}
	defer func() { _ = r.Close() }()
	return loader.Blob(ref.key, ref.sha256, r)
}

// publish gives the new store its name, unless a civictrust.db appeared in
// the meantime: a hard link never replaces a file.
func publish(tmp, final string) error {
	// Every connection is closed, which folds the write-ahead log into the
	// file; a log left beside it would hold records the file lacks.
	if _, err := os.Lstat(tmp + "-wal"); err == nil {
		return errors.New("the new store kept a write-ahead log after it was closed")
	}
	if err := os.Link(tmp, final); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s appeared during the import: it is left as it is", final)
		}
		return fmt.Errorf("name the new store %s: %w", final, err)
	}
	_ = os.Remove(tmp)
	return syncDir(filepath.Dir(final))
}

// syncDir makes the new name durable.
func syncDir(dir string) error {
	d, err := os.Open(dir) // #nosec G304 -- the data folder
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	return d.Sync()
}

// removeDatabase removes a database file that was not published, and its
// companions.
func removeDatabase(path string) {
	if path == "" {
		return
	}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		_ = os.Remove(path + suffix)
	}
}

// putRecorder is the blob store files are copied into, remembering what it
// stored so that a failed import takes it away again.
type putRecorder struct {
	platformport.BlobStore
	mu   sync.Mutex
	keys []string
}

// Put stores a file and remembers its key.
func (p *putRecorder) Put(ctx context.Context, r io.Reader, maxBytes int64) (platformport.BlobInfo, error) {
	info, err := p.BlobStore.Put(ctx, r, maxBytes)
	if err == nil {
		p.mu.Lock()
		p.keys = append(p.keys, info.Key)
		p.mu.Unlock()
	}
	return info, err
}

func (p *putRecorder) removeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, k := range p.keys {
		_ = p.Delete(ctx, k)
	}
	p.keys = nil
}

// printReport says what was brought over.
func printReport(w io.Writer, rep report) {
	_, _ = fmt.Fprintf(w, "imported %s (the earlier embedded store) into %s:\n", rep.from, rep.to)
	for _, k := range storeport.Kinds() {
		_, _ = fmt.Fprintf(w, "  %-16s %8d\n", k, rep.counts[string(k)])
	}
	_, _ = fmt.Fprintf(w, "files: %d checked in %s, %d copied there from GridFS\n", rep.kept, rep.blobs, rep.copied)
	_, _ = fmt.Fprintf(w, "the counts match and the audit chain is intact: %d events\n", rep.audited)
	_, _ = fmt.Fprintf(w, "%s is left as it was: remove it once the service runs on the new store\n", rep.from)
}

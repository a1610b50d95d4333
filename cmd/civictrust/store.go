package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"go.uber.org/fx"

	"github.com/civicdatatrust/civictrust/adapters/storefile"
	"github.com/civicdatatrust/civictrust/adapters/wiring"
	"github.com/civicdatatrust/civictrust/application/storeapp"
	"github.com/civicdatatrust/civictrust/configs"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/storeport"
)

const storeUsage = `usage:
  civictrust store export --to FILE [--with-blobs]   write every record (and the files) as JSON Lines
  civictrust store import --from FILE                read an export into the store, which must be empty
  civictrust store copy --to mongodb://…|FOLDER      copy everything, files included, into MongoDB or an
                                                     embedded store in FOLDER (a DATA_DIR), which must be empty
The store read or written is the one the environment names (MONGODB_URI, or DATA_DIR).`

// storeCommand runs `civictrust store export|import|copy`.
func storeCommand(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		_, _ = fmt.Fprintln(stderr, storeUsage)
		return 2
	}
	fs := flag.NewFlagSet("store "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	to := fs.String("to", "", "the file (export) or store (copy) to write")
	from := fs.String("from", "", "the file to import")
	withBlobs := fs.Bool("with-blobs", false, "export the files of datasets and logos too")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		_, _ = fmt.Fprintln(stderr, storeUsage)
		return 2
	}
	cfg, err := configs.FromEnvironment()
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "configuration is invalid:")
		_, _ = fmt.Fprintln(stderr, err)
		return 2
	}
	progress := progressTo(stderr)
	switch {
	case args[0] == "export" && *to != "" && *from == "":
		return storeExport(cfg, *to, *withBlobs, progress, stdout, stderr)
	case args[0] == "import" && *from != "" && *to == "" && !*withBlobs:
		return storeImport(cfg, *from, progress, stdout, stderr)
	case args[0] == "copy" && *to != "" && *from == "" && !*withBlobs:
		return storeCopy(cfg, *to, progress, stdout, stderr)
	}
	_, _ = fmt.Fprintln(stderr, storeUsage)
	return 2
}

// openSide starts the store tools of cfg and returns the store as storeapp
// needs it, with the function that stops it.
func openSide(cfg configs.Config) (storeapp.Side, func(), error) {
	var side storeapp.Side
	var store storeport.Store
	var blobs platformport.BlobStore
	var audit auditport.Service
	app := fx.New(wiring.StoreTools(cfg), fx.NopLogger, fx.Populate(&store, &blobs, &audit), fx.StartTimeout(2*time.Minute))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := app.Start(ctx); err != nil {
		return side, nil, err
	}
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = app.Stop(ctx)
	}
	return storeapp.Side{Store: store, Blobs: blobs, Audit: audit}, stop, nil
}

func storeExport(cfg configs.Config, path string, withBlobs bool, progress storeapp.Progress, stdout, stderr io.Writer) int {
	src, stop, err := openSide(cfg)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, startFailure(err))
		return 1
	}
	defer stop()
	// Written beside the target and renamed at the end: a file named FILE is
	// always a complete export.
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "create the export:", err)
		return 1
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // #nosec G703 -- beside the file the operator names
	w, err := storefile.NewWriter(tmp, storefile.Header{ExportedAt: time.Now().UTC(), Source: sourceName(cfg), WithBlobs: withBlobs})
	if err == nil {
		_, err = storeapp.Export(context.Background(), src, w, withBlobs, progress)
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path) // #nosec G703 -- the operator names the export file
	}
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "export:", err)
		return 1
	}
	_, _ = fmt.Fprintf(stdout, "exported to %s: %s\n", path, summary(w.Counts()))
	return 0
}

func storeImport(cfg configs.Config, path string, progress storeapp.Progress, stdout, stderr io.Writer) int {
	// The whole file is read once before anything is written: a file cut
	// short or damaged is refused and the store stays empty.
	if err := checkExport(path); err != nil {
		_, _ = fmt.Fprintln(stderr, "import:", err)
		return 1
	}
	f, err := os.Open(path) // #nosec G304 G703 -- the operator names the file to import
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "open the export:", err)
		return 1
	}
	defer func() { _ = f.Close() }()
	r, err := storefile.NewReader(f)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "import:", err)
		return 1
	}
	dst, stop, err := openSide(cfg)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, startFailure(err))
		return 1
	}
	defer stop()
	rep, err := storeapp.Import(context.Background(), r, dst, progress)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "import:", err)
		if !errors.Is(err, storeapp.ErrNotEmpty) {
			_, _ = fmt.Fprintln(stderr, "the store may hold part of the import: empty it (a new DATA_DIR, or drop the MongoDB database) before trying again")
		}
		return 1
	}
	_, _ = fmt.Fprintf(stdout, "imported from %s: %s; audit chain intact: %d events\n", path, summary(rep.Counts), rep.AuditChecked)
	return 0
}

func storeCopy(cfg configs.Config, to string, progress storeapp.Progress, stdout, stderr io.Writer) int {
	target, err := targetConfig(cfg, to)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "copy:", err)
		return 2
	}
	src, stopSrc, err := openSide(cfg)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, startFailure(err))
		return 1
	}
	defer stopSrc()
	dst, stopDst, err := openSide(target)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "the store to copy to: "+startFailure(err))
		return 1
	}
	defer stopDst()
	rep, err := storeapp.Copy(context.Background(), src, dst, progress)
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "copy:", err)
		if !errors.Is(err, storeapp.ErrNotEmpty) {
			_, _ = fmt.Fprintln(stderr, "the store copied to may hold part of the copy: empty it before trying again")
		}
		return 1
	}
	_, _ = fmt.Fprintf(stdout, "copied to %s: %s; the counts match and the audit chain is intact: %d events\n",
		describe(target), summary(rep.Counts), rep.AuditChecked)
	return 0
}

func checkExport(path string) error {
	f, err := os.Open(path) // #nosec G304 G703 -- the operator names the file to import
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	_, err = storefile.Check(f)
	return err
}

// targetConfig is the configuration of the store `store copy --to` names: a
// MongoDB URI (the database of MONGODB_DATABASE, files in GridFS) or a
// folder for an embedded store (files in its blobs folder).
func targetConfig(cfg configs.Config, to string) (configs.Config, error) {
	t := cfg
	t.S3Endpoint, t.S3Bucket, t.S3Region, t.S3AccessKeyID, t.S3SecretAccessKey = "", "", "", "", ""
	if strings.HasPrefix(to, "mongodb://") || strings.HasPrefix(to, "mongodb+srv://") {
		if to == cfg.MongoDBURI {
			return t, errors.New("--to names the store being copied")
		}
		t.MongoDBURI, t.BlobDriver = to, configs.BlobGridFS
		return t, nil
	}
	dir, err := filepath.Abs(to)
	if err != nil {
		return t, err
	}
	if cur, _ := filepath.Abs(cfg.DataDir); cfg.Embedded() && dir == cur {
		return t, errors.New("--to names the store being copied")
	}
	t.MongoDBURI, t.DataDir, t.BlobDriver, t.BlobDir = "", dir, configs.BlobFS, filepath.Join(dir, "blobs")
	return t, nil
}

func sourceName(cfg configs.Config) string {
	if cfg.Embedded() {
		return "sqlite"
	}
	return "mongodb"
}

// describe names a store without its credentials.
func describe(cfg configs.Config) string {
	if cfg.Embedded() {
		return wiring.SQLiteFile(cfg)
	}
	return "MongoDB database " + cfg.MongoDBDatabase
}

// summary lists counts in the order of the kinds.
func summary(counts map[string]int64) string {
	var parts []string
	for _, k := range storeport.Kinds() {
		parts = append(parts, fmt.Sprintf("%d %s", counts[string(k)], k))
	}
	if n, ok := counts["blob"]; ok {
		parts = append(parts, fmt.Sprintf("%d files", n))
	}
	return strings.Join(parts, ", ")
}

// progressTo reports progress on w when it is a terminal (a long run shows
// that it moves; a log or a pipe gets only the final line).
func progressTo(w io.Writer) storeapp.Progress {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	if st, err := f.Stat(); err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return func(kind string, n int64, done bool) {
		end := "\r"
		if done {
			end = "\n"
		}
		_, _ = fmt.Fprintf(f, "\r%-16s %12d%s", kind, n, end)
	}
}

// Command civictrust-ferretdb-import brings the data of the earlier embedded
// store (FerretDB on SQLite, in DATA_DIR/db) into the embedded store of this
// version (DATA_DIR/civictrust.db).
//
//	civictrust-ferretdb-import [--data-dir DIR]
//
// It is a binary of its own so that the server never contains FerretDB.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/joho/godotenv"

	"github.com/civicdatatrust/civictrust/configs"
)

const usage = `usage: civictrust-ferretdb-import [--data-dir DIR]

Brings the data of the earlier embedded store (FerretDB, in DATA_DIR/db) into
DATA_DIR/civictrust.db, the embedded store of this version: every record, the
audit chain exactly as sealed, and the files of datasets and logos (files in
BLOB_DIR stay where they are; files the earlier store kept in GridFS are copied
to BLOB_DIR). The old folder is only read, from a copy taken at the start: it
is left as it was.

The new store is written to a temporary file beside civictrust.db and takes
that name only once every count matches and the audit chain verifies. An
existing civictrust.db is never touched: the import then refuses and exits 1.

Stop the earlier server first. The configuration comes from the environment
and a .env file in the working folder, as for civictrust: DATA_DIR (default
./data), MONGODB_DATABASE (the database in DATA_DIR/db, default
civic_data_trust), BLOB_DIR, and S3_* when BLOB_DRIVER=s3.

Flags:
  --data-dir DIR   the data folder (overrides DATA_DIR)`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the command: exit status 0 when the data was brought over, 1 when
// it was refused or failed (nothing is left behind), 2 for a usage or
// configuration error.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("civictrust-ferretdb-import", flag.ContinueOnError)
	flags.SetOutput(io.Discard)
	flags.Usage = func() {}
	dataDir := flags.String("data-dir", "", "")
	if len(args) > 0 && args[0] == "help" {
		args = []string{"-h"}
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, _ = fmt.Fprintln(stdout, usage)
			return 0
		}
		_, _ = fmt.Fprintf(stderr, "civictrust-ferretdb-import: %v\n\n%s\n", err, usage)
		return 2
	}
	if flags.NArg() > 0 {
		_, _ = fmt.Fprintf(stderr, "civictrust-ferretdb-import: unexpected argument %q\n\n%s\n", flags.Arg(0), usage)
		return 2
	}
	cfg, err := loadConfig(*dataDir, ".env")
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "configuration is invalid:")
		_, _ = fmt.Fprintln(stderr, err)
		return 2
	}
	if !cfg.Embedded() {
		_, _ = fmt.Fprintln(stderr, "civictrust-ferretdb-import: MONGODB_URI is set: that service keeps its data in MongoDB, "+
			"not in DATA_DIR. Unset it to import DATA_DIR/db into the embedded store.")
		return 2
	}
	rep, err := importFolder(ctx, cfg, stderr, progressTo(stderr))
	if err != nil {
		_, _ = fmt.Fprintln(stderr, "civictrust-ferretdb-import:", err)
		if !errors.Is(err, errRefused) {
			_, _ = fmt.Fprintln(stderr, "nothing was changed: no civictrust.db was written and the old folder is as it was")
		}
		return 1
	}
	printReport(stdout, rep)
	return 0
}

// loadConfig reads the configuration as the server does, with dataDir (when
// set) for DATA_DIR. BLOB_DRIVER=gridfs, which the earlier embedded store
// accepted, is read as fs: those files are copied into BLOB_DIR, where the
// embedded store keeps files now.
func loadConfig(dataDir, dotenvPath string) (configs.Config, error) {
	file, err := godotenv.Read(dotenvPath)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		// The parser's message may quote the file, which may hold secrets.
		return configs.Config{}, fmt.Errorf("%s: is not a valid .env file (NAME=value lines)", dotenvPath)
	}
	lookup := func(name string) (string, bool) {
		if name == configs.EnvDataDir && dataDir != "" {
			return dataDir, true
		}
		v, ok := os.LookupEnv(name)
		if !ok {
			v, ok = file[name]
		}
		if name == configs.EnvBlobDriver && strings.EqualFold(strings.TrimSpace(v), configs.BlobGridFS) {
			return configs.BlobFS, true
		}
		return v, ok
	}
	return configs.Load(lookup, "")
}

// progressTo reports how many records of a kind were read so far when w is a
// terminal, so that a long import shows that it moves; a log gets only the
// report.
func progressTo(w io.Writer) func(kind string, n int64, done bool) {
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

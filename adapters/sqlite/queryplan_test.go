// Package sqlite_test checks the query plans of every statement the SQLite
// adapters run: none may read a whole table.
package sqlite_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/civicdatatrust/civictrust/adapters/sqlite/accesssqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/auditsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/communitysqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/datasetsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/governancesqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/identitysqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/ratelimitsqlite"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore"
	"github.com/civicdatatrust/civictrust/adapters/sqlite/sqlitestore/sqlitetest"
	"github.com/civicdatatrust/civictrust/ports/accessport"
	"github.com/civicdatatrust/civictrust/ports/accessport/accessporttest"
	"github.com/civicdatatrust/civictrust/ports/auditport"
	"github.com/civicdatatrust/civictrust/ports/auditport/auditporttest"
	"github.com/civicdatatrust/civictrust/ports/communityport"
	"github.com/civicdatatrust/civictrust/ports/communityport/communityporttest"
	"github.com/civicdatatrust/civictrust/ports/datasetport"
	"github.com/civicdatatrust/civictrust/ports/datasetport/datasetporttest"
	"github.com/civicdatatrust/civictrust/ports/governanceport"
	"github.com/civicdatatrust/civictrust/ports/governanceport/governanceporttest"
	"github.com/civicdatatrust/civictrust/ports/identityport"
	"github.com/civicdatatrust/civictrust/ports/identityport/identityporttest"
	"github.com/civicdatatrust/civictrust/ports/platformport"
	"github.com/civicdatatrust/civictrust/ports/platformport/platformporttest"
)

// statements records every distinct statement run, with the arguments of its
// first run.
type statements struct {
	mu   sync.Mutex
	seen map[string][]any
}

func (s *statements) record(query string, args []any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.seen[query]; !ok {
		s.seen[query] = append([]any(nil), args...)
	}
}

// fullScan is a plan step that reads a whole table: SCAN without an index
// (a scan of an index, a search and the full-text index are fine, and so is
// a scan of a subquery's rows, "SCAN (subquery-N)", whose own steps are
// checked).
var fullScan = regexp.MustCompile(`^SCAN ([^(\s]\S*)$`)

// rowidOrder names the tables whose rows are kept in the order of an integer
// primary key: SQLite reports reading them in that order, from one end, as a
// bare SCAN, which a LIMIT bounds (the newest page of the audit chain).
var rowidOrder = map[string]string{"audit_events": "ORDER BY seq"}

// substringScans are the statements allowed to look at every row: `q` of one
// or two characters, which no index of SQLite's can answer (FTS5 trigrams
// need three).
var substringScans = regexp.MustCompile(`^SELECT count\(\*\) FROM datasets d WHERE .*\(instr\(d\.search_title, \?\) > 0 OR instr\(d\.search_description, \?\) > 0\)`)

// scansATable reports whether a plan step of q reads a whole table.
func scansATable(q, step string) bool {
	m := fullScan.FindStringSubmatch(step)
	if m == nil {
		return false
	}
	if order, ok := rowidOrder[m[1]]; ok && strings.Contains(q, order) && strings.Contains(q, "LIMIT") {
		return false
	}
	return !substringScans.MatchString(oneLine(q))
}

// Every statement the adapters run on a request path, which is every
// statement of their contract suites, is planned without a full table scan.
func TestNoRepositoryStatementScansATable(t *testing.T) {
	rec := &statements{seen: map[string][]any{}}
	open := func(t *testing.T) *sqlitestore.DB {
		return sqlitetest.OpenWith(t, filepath.Join(t.TempDir(), "civictrust.db"), sqlitestore.Options{Trace: rec.record})
	}
	t.Run("suites", func(t *testing.T) {
		identityporttest.TestUserRepository(t, func(t *testing.T) identityport.UserRepository {
			return identitysqlite.NewUserRepository(open(t))
		})
		identityporttest.TestSessionRepository(t, func(t *testing.T) identityport.SessionRepository {
			return identitysqlite.NewSessionRepository(open(t))
		})
		identityporttest.TestOneTimeTokenRepository(t, func(t *testing.T) identityport.OneTimeTokenRepository {
			return identitysqlite.NewOneTimeTokenRepository(open(t))
		})
		accessporttest.TestRoleRepository(t, func(t *testing.T) accessport.RoleRepository {
			return accesssqlite.NewRoleRepository(open(t))
		})
		accessporttest.TestModuleRepository(t, func(t *testing.T) accessport.ModuleRepository {
			return accesssqlite.NewModuleRepository(open(t))
		})
		communityporttest.TestCommunityRepository(t, func(t *testing.T) communityport.CommunityRepository {
			return communitysqlite.NewCommunityRepository(open(t))
		})
		communityporttest.TestMembershipRepository(t, func(t *testing.T) communityport.MembershipRepository {
			return communitysqlite.NewMembershipRepository(open(t))
		})
		communityporttest.TestJoinRequestRepository(t, func(t *testing.T) communityport.JoinRequestRepository {
			return communitysqlite.NewJoinRequestRepository(open(t))
		})
		datasetporttest.TestDatasetRepository(t, func(t *testing.T) datasetport.DatasetRepository {
			return datasetsqlite.NewDatasetRepository(open(t))
		})
		datasetporttest.TestUploadRepository(t, func(t *testing.T) datasetport.UploadRepository {
			return datasetsqlite.NewUploadRepository(open(t))
		})
		auditporttest.TestStore(t, func(t *testing.T, n int) []auditport.Store {
			db := open(t)
			out := make([]auditport.Store, n)
			for i := range out {
				out[i] = auditsqlite.NewStore(db)
			}
			return out
		})
		platformporttest.TestRateLimitStore(t, func(t *testing.T) platformport.RateLimitStore {
			return ratelimitsqlite.New(open(t))
		}, platformporttest.RateLimitStoreSkips{})
		governanceporttest.TestTermsRepository(t, func(t *testing.T) governanceport.TermsRepository {
			return governancesqlite.NewTermsRepository(open(t))
		})
		governanceporttest.TestConsentRepository(t, func(t *testing.T) governanceport.ConsentRepository {
			return governancesqlite.NewConsentRepository(open(t))
		})
		governanceporttest.TestAccessRequestRepository(t, func(t *testing.T) governanceport.AccessRequestRepository {
			return governancesqlite.NewAccessRequestRepository(open(t))
		})
		governanceporttest.TestGrantRepository(t, func(t *testing.T) governanceport.GrantRepository {
			return governancesqlite.NewGrantRepository(open(t))
		})
		governanceporttest.TestNoticeClaimRepository(t, func(t *testing.T) func() governanceport.NoticeClaimRepository {
			db := open(t)
			return func() governanceport.NoticeClaimRepository { return governancesqlite.NewNoticeClaimRepository(db) }
		})
	})
	if t.Failed() {
		return
	}

	db := open(t)
	queries := make([]string, 0, len(rec.seen))
	for q := range rec.seen {
		queries = append(queries, q)
	}
	sort.Strings(queries)
	if len(queries) < 50 {
		t.Fatalf("only %d statements recorded: is the trace wired?", len(queries))
	}
	for _, q := range queries {
		rows, err := db.Reader(t.Context()).QueryContext(t.Context(), "EXPLAIN QUERY PLAN "+q, rec.seen[q]...)
		if err != nil {
			t.Errorf("EXPLAIN QUERY PLAN %s: %v", oneLine(q), err)
			continue
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
		for _, step := range plan {
			if scansATable(q, step) {
				t.Errorf("%s\n\treads a whole table: %s", oneLine(q), strings.Join(plan, "; "))
			}
		}
	}
	t.Logf("%d statements planned", len(queries))
}

func oneLine(q string) string { return fmt.Sprint(strings.Join(strings.Fields(q), " ")) }

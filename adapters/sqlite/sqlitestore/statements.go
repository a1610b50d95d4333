package sqlitestore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxStatements bounds how many distinct statements a pool keeps prepared:
// lists build their statements from the filters given (a placeholder per
// community of a viewer, per dataset of a page), so their number is not
// fixed. Past the bound, a statement is prepared for each run, as without
// the cache.
const maxStatements = 512

// statements keeps the statements run on a pool prepared, so that SQLite
// parses and plans each once per connection instead of on every run
// (preparing was a large share of a request's time). database/sql prepares
// a kept statement again on each connection of the pool that runs it.
//
// The writer's pool has one connection, which a write transaction holds
// while it wants a statement: preparing there would wait for it. So the
// writer's statements are prepared between transactions (see
// prepareWanted), the first run of each going unprepared.
type statements struct {
	pool *sql.DB
	// between: prepare only in prepareWanted, never in get.
	between bool
	mu      sync.RWMutex
	kept    map[string]*sql.Stmt
	wanted  map[string]struct{}
}

func newStatements(pool *sql.DB, between bool) *statements {
	return &statements{pool: pool, between: between, kept: map[string]*sql.Stmt{}, wanted: map[string]struct{}{}}
}

// get returns query prepared on the pool, or nil when it is not (yet) kept:
// the bound is reached, preparing failed (the caller then runs it
// unprepared, which reports the error as it always did), or it waits for
// prepareWanted.
func (s *statements) get(ctx context.Context, query string) *sql.Stmt {
	s.mu.RLock()
	st, ok := s.kept[query]
	full := len(s.kept) >= maxStatements
	s.mu.RUnlock()
	if ok || full {
		return st
	}
	if s.between {
		s.mu.Lock()
		s.wanted[query] = struct{}{}
		s.mu.Unlock()
		return nil
	}
	return s.prepare(ctx, query)
}

// prepareWanted prepares the statements get was asked for but did not keep.
func (s *statements) prepareWanted(ctx context.Context) {
	s.mu.RLock()
	n := len(s.wanted)
	s.mu.RUnlock()
	if n == 0 {
		return
	}
	s.mu.Lock()
	queries := make([]string, 0, len(s.wanted))
	for q := range s.wanted {
		queries = append(queries, q)
	}
	clear(s.wanted)
	s.mu.Unlock()
	for _, q := range queries {
		s.prepare(ctx, q)
	}
}

func (s *statements) prepare(ctx context.Context, query string) *sql.Stmt {
	st, err := s.pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if kept, ok := s.kept[query]; ok {
		_ = st.Close()
		return kept
	}
	if len(s.kept) >= maxStatements {
		_ = st.Close()
		return nil
	}
	s.kept[query] = st
	return st
}

// close closes every kept statement.
func (s *statements) close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for q, st := range s.kept {
		errs = append(errs, st.Close())
		delete(s.kept, q)
	}
	return errors.Join(errs...)
}

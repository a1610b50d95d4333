package accessmongo

import "errors"

// ensureByName returns the stored item that find finds by name, or inserts
// item with create. When a concurrent insert wins (create fails with exists,
// from the unique index), it returns the winner's, found again.
func ensureByName[T any](item *T, find func() (*T, error), create func() error, notFound, exists error) (*T, error) {
	if existing, err := find(); err == nil {
		return existing, nil
	} else if !errors.Is(err, notFound) {
		return nil, err
	}
	if err := create(); errors.Is(err, exists) {
		return find()
	} else if err != nil {
		return nil, err
	}
	c := *item
	return &c, nil
}

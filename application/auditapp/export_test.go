package auditapp

import "time"

// AnchorInterval is anchorInterval, for the tests' deadlines.
const AnchorInterval = anchorInterval

// AnchorArmed reports whether the anchor timer is armed.
func (s *Service) AnchorArmed() bool {
	s.anchor.mu.Lock()
	defer s.anchor.mu.Unlock()
	return s.anchor.timer != nil
}

// ForgetConflicts ends contention mode, as contentionWindow passing would.
func (s *Service) ForgetConflicts() {
	s.turn <- struct{}{}
	defer func() { <-s.turn }()
	s.conflictAt = time.Time{}
}

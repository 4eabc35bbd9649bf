package policy

import (
	"fmt"
	"strings"
)

// Severity orders findings. The zero value means "not set" (FailOn then
// defaults to Medium).
type Severity int

const (
	Info Severity = iota + 1
	Low
	Medium
	High
	Critical
)

var severityNames = [...]string{"", "info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if s < 0 || int(s) >= len(severityNames) {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity accepts info, low, medium, high or critical, in any case.
func ParseSeverity(s string) (Severity, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for i := Info; i <= Critical; i++ {
		if severityNames[i] == v {
			return i, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q: use info, low, medium, high or critical", s)
}

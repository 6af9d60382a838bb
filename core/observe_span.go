package dockerflow

import "context"

// startRun tells the observers' RunStarted of a run starting with ctx,
// and returns the context to run with and the function to call with its
// report (nil when no observer traces runs).
func (s *Service) startRun(ctx context.Context) (context.Context, func(*Report)) {
	if len(s.obs.runStarts) == 0 {
		return ctx, nil
	}
	ctx, ends := startAll(s, ctx, s.obs.runStarts, func(f func(context.Context) (context.Context, func(*Report)), ctx context.Context) (context.Context, func(*Report)) {
		return f(ctx)
	})
	return ctx, func(rep *Report) { endAll(s, ctx, ends, rep) }
}

// startCheck tells the observers' CheckStarted of check name starting
// with ctx, and returns the context to run it with and the function to
// call with its result (nil when no observer traces checks).
func (s *Service) startCheck(ctx context.Context, name string) (context.Context, func(CheckResult)) {
	if len(s.obs.chkStarts) == 0 {
		return ctx, nil
	}
	ctx, ends := startAll(s, ctx, s.obs.chkStarts, func(f func(context.Context, string) (context.Context, func(CheckResult)), ctx context.Context) (context.Context, func(CheckResult)) {
		return f(ctx, name)
	})
	return ctx, func(res CheckResult) { endAll(s, ctx, ends, res) }
}

// startAll calls each start hook in order, each given the context the
// one before returned, and returns the last context and the end
// functions. A hook that panics (logged as any observer's panic) or
// returns a nil context leaves the context as it was.
func startAll[F any, T any](s *Service, ctx context.Context, hooks []F, call func(F, context.Context) (context.Context, func(T))) (context.Context, []func(T)) {
	ends := make([]func(T), 0, len(hooks))
	for _, h := range hooks {
		func() {
			defer s.observerPanicked(ctx)
			next, end := call(h, ctx)
			if next != nil {
				ctx = next
			}
			if end != nil {
				ends = append(ends, end)
			}
		}()
	}
	return ctx, ends
}

// endAll calls the end functions in reverse order, innermost first.
func endAll[T any](s *Service, ctx context.Context, ends []func(T), v T) {
	for i := len(ends) - 1; i >= 0; i-- {
		observe(s, ctx, func(_ context.Context, v T) { ends[i](v) }, v)
	}
}

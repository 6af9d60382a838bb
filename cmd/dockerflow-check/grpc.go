package main

import (
	"context"
	"fmt"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// grpcHealth checks the grpc.health.v1 service at addr (plaintext, as a
// Kubernetes grpc probe speaks it): the overall service ("") SERVING, an
// unknown service NOT_FOUND, and Watch sending the status at once. The
// error is for an address that is no address (a usage error).
func (c *checker) grpcHealth(ctx context.Context, addr string, timeout time.Duration) error {
	conn, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	client := healthpb.NewHealthClient(conn)
	var bad []string

	cctx, cancel := context.WithTimeout(ctx, timeout)
	resp, err := client.Check(cctx, &healthpb.HealthCheckRequest{})
	cancel()
	switch {
	case err != nil:
		bad = append(bad, "Check(\"\"): "+err.Error())
	case resp.GetStatus() != healthpb.HealthCheckResponse_SERVING:
		bad = append(bad, "Check(\"\"): "+resp.GetStatus().String())
	}

	cctx, cancel = context.WithTimeout(ctx, timeout)
	_, err = client.Check(cctx, &healthpb.HealthCheckRequest{Service: "dockerflow-check.no-such-service"})
	cancel()
	if status.Code(err) != codes.NotFound {
		bad = append(bad, fmt.Sprintf("Check of an unknown service: %v, want NOT_FOUND", status.Code(err)))
	}

	cctx, cancel = context.WithTimeout(ctx, timeout)
	stream, err := client.Watch(cctx, &healthpb.HealthCheckRequest{})
	if err == nil {
		var first *healthpb.HealthCheckResponse
		if first, err = stream.Recv(); err == nil && first.GetStatus() == healthpb.HealthCheckResponse_SERVICE_UNKNOWN {
			err = fmt.Errorf("status %v", first.GetStatus())
		}
	}
	cancel()
	if err != nil {
		bad = append(bad, "Watch(\"\"): "+err.Error())
	}
	c.check(ruleGRPCHealth, verdict(len(bad) == 0), "SERVING, NOT_FOUND for an unknown service, Watch answering at once", seenList(bad, "as expected"))
	return nil
}

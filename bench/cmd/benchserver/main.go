// Command benchserver serves one variant of what the benchmarks compare,
// on 127.0.0.1:$PORT, for a load tool to measure:
//
//	lb-{nethttp,chi,echo,gin}-{bare,header,dockerflow}: /__lbheartbeat__,
//	  through the framework's empty handler, the empty handler plus the
//	  Cache-Control: no-store the contract requires, or the adapter.
//	hb-coalesce, hb-cache: dockerflow's /__heartbeat__ with a Redis check,
//	  sharing runs, or with a 1s cache.
//	alexliesenfeld, alexliesenfeld-nocache, hellofresh: the peers'
//	  handlers with the same Redis check (PING through one shared client).
//	hellofresh-own-check: hellofresh's own Redis check (a new client per
//	  probe).
//
// REDIS_ADDR is the Redis of the heartbeat variants.
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	alex "github.com/alexliesenfeld/health"
	dockerflowchi "github.com/dockerflow-go/dockerflow/adapters/chi"
	dockerflowecho "github.com/dockerflow-go/dockerflow/adapters/echo"
	dockerflowgin "github.com/dockerflow-go/dockerflow/adapters/gin"
	dockerflowhttp "github.com/dockerflow-go/dockerflow/adapters/nethttp"
	redischeck "github.com/dockerflow-go/dockerflow/checks/redis"
	dockerflow "github.com/dockerflow-go/dockerflow/core"
	"github.com/dockerflow-go/dockerflow/static"
	"github.com/dockerflow-go/dockerflow/static/build"
	"github.com/gin-gonic/gin"
	"github.com/go-chi/chi/v5"
	hellofresh "github.com/hellofresh/health-go/v5"
	hellofreshredis "github.com/hellofresh/health-go/v5/checks/redis"
	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: benchserver VARIANT (PORT and REDIS_ADDR from the environment)")
		os.Exit(2)
	}
	h, err := handler(os.Args[1], os.Getenv("REDIS_ADDR"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(2)
	}
	srv := &http.Server{Addr: "127.0.0.1:" + os.Getenv("PORT"), Handler: h, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "benchserver:", err)
		os.Exit(1)
	}
}

func empty(http.ResponseWriter, *http.Request) {}

var noStore = []string{"no-store"}

// header is the empty handler plus the one header the contract requires
// on every answer: the floor of any /__lbheartbeat__.
func header(w http.ResponseWriter, _ *http.Request) { w.Header()["Cache-Control"] = noStore }

func service(cfg dockerflow.Config) *dockerflow.Service {
	cfg.Logger = &dockerflow.MozlogLogger{Out: os.Stderr}
	svc, err := dockerflow.New(cfg)
	if err != nil {
		panic(err)
	}
	return svc
}

func handler(variant, redisAddr string) (http.Handler, error) {
	var rdb *redis.Client
	ping := func(ctx context.Context) error { return rdb.Ping(ctx).Err() }
	if redisAddr != "" {
		rdb = redis.NewClient(&redis.Options{Addr: redisAddr, ContextTimeoutEnabled: true})
	}
	heartbeat := func(cfg dockerflow.Config) (http.Handler, error) {
		if rdb == nil {
			return nil, errors.New("REDIS_ADDR is not set")
		}
		svc := service(cfg)
		if err := svc.Register(redischeck.New(rdb)); err != nil {
			return nil, err
		}
		return dockerflowhttp.Handler(svc, nil), nil
	}
	switch variant {
	case "static-fileserver", "static-handler":
		return staticHandler(variant)
	case "lb-nethttp-bare":
		return http.HandlerFunc(empty), nil
	case "lb-nethttp-header": // the empty handler plus the header the contract requires
		return http.HandlerFunc(header), nil
	case "lb-nethttp-dockerflow":
		return dockerflowhttp.Handler(service(dockerflow.Config{}), nil), nil
	case "lb-chi-bare":
		r := chi.NewRouter()
		r.Get("/__lbheartbeat__", empty)
		return r, nil
	case "lb-chi-header":
		r := chi.NewRouter()
		r.Get("/__lbheartbeat__", header)
		return r, nil
	case "lb-chi-dockerflow":
		r := chi.NewRouter()
		dockerflowchi.Register(r, service(dockerflow.Config{}))
		return r, nil
	case "lb-echo-bare":
		e := echo.New()
		e.GET("/__lbheartbeat__", func(echo.Context) error { return nil })
		return e, nil
	case "lb-echo-header":
		e := echo.New()
		e.GET("/__lbheartbeat__", echo.WrapHandler(http.HandlerFunc(header)))
		return e, nil
	case "lb-echo-dockerflow":
		e := echo.New()
		dockerflowecho.Register(e, service(dockerflow.Config{}))
		return e, nil
	case "lb-gin-bare":
		r := ginEngine()
		r.GET("/__lbheartbeat__", func(*gin.Context) {})
		return r, nil
	case "lb-gin-header":
		r := ginEngine()
		r.GET("/__lbheartbeat__", gin.WrapF(header))
		return r, nil
	case "lb-gin-dockerflow":
		r := ginEngine()
		dockerflowgin.Register(r, service(dockerflow.Config{}))
		return r, nil
	case "hb-coalesce":
		return heartbeat(dockerflow.Config{})
	case "hb-cache":
		return heartbeat(dockerflow.Config{HeartbeatCacheTTL: time.Second})
	case "alexliesenfeld", "alexliesenfeld-nocache":
		if rdb == nil {
			return nil, errors.New("REDIS_ADDR is not set")
		}
		opts := []alex.CheckerOption{alex.WithCheck(alex.Check{Name: "redis", Check: ping})}
		if variant == "alexliesenfeld-nocache" {
			opts = append(opts, alex.WithDisabledCache())
		}
		return alex.NewHandler(alex.NewChecker(opts...)), nil
	case "hellofresh", "hellofresh-own-check":
		if rdb == nil {
			return nil, errors.New("REDIS_ADDR is not set")
		}
		check := ping
		if variant == "hellofresh-own-check" {
			check = hellofreshredis.New(hellofreshredis.Config{DSN: "redis://" + redisAddr})
		}
		h, err := hellofresh.New(hellofresh.WithChecks(hellofresh.Config{Name: "redis", Timeout: 3 * time.Second, Check: check}))
		if err != nil {
			return nil, err
		}
		return h.Handler(), nil
	}
	return nil, fmt.Errorf("unknown variant %q", variant)
}

// ginEngine is a gin engine in release mode (debug mode prints every
// route on stdout).
func ginEngine() *gin.Engine {
	gin.SetMode(gin.ReleaseMode)
	return gin.New()
}

// StaticCSS is the 20 KB stylesheet the static variants serve, at
// /static/app.css.
var staticCSS = func() []byte {
	var b strings.Builder
	for i := 0; b.Len() < 20<<10; i++ {
		fmt.Fprintf(&b, ".rule-%d { margin: %dpx %dpx; color: #%06x; font: %dpx/1.4 system-ui, sans-serif; }\n", i, i%13, i%7, i*7919%0xffffff, 12+i%9)
	}
	return []byte(b.String())
}()

// staticHandler builds a tree holding staticCSS and serves it with
// http.FileServer (the file as it is) or the static module's handler,
// under /static/, and its manifest at /manifest.json, for the report to
// find the hashed URL.
func staticHandler(variant string) (http.Handler, error) {
	src, err := os.MkdirTemp("", "benchstatic-src-")
	if err != nil {
		return nil, err
	}
	out, err := os.MkdirTemp("", "benchstatic-out-")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(src, "app.css"), staticCSS, 0o644); err != nil {
		return nil, err
	}
	if err := build.Build(src, out); err != nil {
		return nil, err
	}
	var files http.Handler = http.StripPrefix("/static/", http.FileServer(http.Dir(out)))
	if variant == "static-handler" {
		if files, err = static.New(os.DirFS(out), "/static/"); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	mux.Handle("/static/", files)
	mux.HandleFunc("/manifest.json", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFile(w, r, filepath.Join(out, "manifest.json"))
	})
	return mux, nil
}

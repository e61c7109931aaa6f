// Command flux-consumer runs Flux's own code on a synthesized output folder, as kustomize-controller does on
// every reconciliation of a Flux Kustomization, so the tests show what Flux does with our files instead of
// emulating it:
//
//   - github.com/fluxcd/pkg/kustomize: the generator that writes the kustomization.yaml kustomize-controller
//     generates for a path without one (NewGenerator(...).WriteFile), and the build (SecureBuild: no plugins,
//     no loads outside the source root);
//   - github.com/fluxcd/pkg/ssa: the server-side apply engine (ApplyAllStaged: CRDs, ClusterRoles and
//     Namespaces first, then Class kinds, then everything else), whose Apply does a server-side dry run first
//     and reports "unchanged" when the cluster already matches: its drift detection.
//
// Usage:
//
//	flux-consumer generate <dir>
//	    writes the kustomization.yaml Flux generates into <dir> (a copy) and prints it.
//	flux-consumer reconcile --kubeconfig FILE --root DIR --kustomization FILE [--reconciles N]
//	    builds spec.path of the Flux Kustomization FILE (relative to DIR, a copy of the source, as the
//	    controller does with the artifact of its source) and applies it N times (default 2) with the options
//	    kustomize-controller uses. Prints a JSON report: every change set entry per reconciliation.
//
// Exit status: 0 when every step ran (the report says what happened), 1 on an error (printed on stderr).
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/fluxcd/cli-utils/pkg/kstatus/polling"
	"github.com/fluxcd/pkg/kustomize"
	"github.com/fluxcd/pkg/ssa"
	ssautil "github.com/fluxcd/pkg/ssa/utils"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"
)

// What kustomize-controller calls itself (its field manager) and the API group of its owner labels.
const (
	controllerName = "kustomize-controller"
	kustomizeGroup = "kustomize.toolkit.fluxcd.io"
)

// Entry is one object's outcome in one reconciliation.
type Entry struct {
	Subject string `json:"subject"`
	Action  string `json:"action"`
}

// Report is what reconcile prints.
type Report struct {
	// Objects built from spec.path.
	Objects int `json:"objects"`
	// Whether the kustomization.yaml was generated (the path had none).
	Generated bool `json:"generated"`
	// One list of change set entries per reconciliation.
	Reconciles [][]Entry `json:"reconciles"`
}

func main() {
	if len(os.Args) < 2 {
		fail(fmt.Errorf("usage: flux-consumer generate <dir> | reconcile --kubeconfig FILE --root DIR --kustomization FILE"))
	}
	var err error
	switch os.Args[1] {
	case "generate":
		err = generate(os.Args[2:])
	case "reconcile":
		err = reconcile(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

// generate writes Flux's generated kustomization.yaml into a folder that has none and prints it.
func generate(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: flux-consumer generate <dir>")
	}
	dir, err := filepath.Abs(args[0])
	if err != nil {
		return err
	}
	ks := unstructured.Unstructured{Object: map[string]any{"apiVersion": kustomizeGroup + "/v1", "kind": "Kustomization"}}
	if _, err := kustomize.NewGenerator(dir, ks).WriteFile(dir); err != nil {
		return err
	}
	out, err := os.ReadFile(filepath.Join(dir, "kustomization.yaml"))
	if err != nil {
		return err
	}
	_, err = os.Stdout.Write(out)
	return err
}

func reconcile(args []string) error {
	fl := flag.NewFlagSet("reconcile", flag.ContinueOnError)
	kubeconfig := fl.String("kubeconfig", "", "kubeconfig of the cluster")
	root := fl.String("root", "", "the source: a folder kustomize-controller would have unpacked the artifact into (written to)")
	ksFile := fl.String("kustomization", "", "the Flux Kustomization (kustomize.toolkit.fluxcd.io/v1) YAML file")
	reconciles := fl.Int("reconciles", 2, "how many reconciliations to run")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *kubeconfig == "" || *root == "" || *ksFile == "" {
		return fmt.Errorf("--kubeconfig, --root and --kustomization are required")
	}
	data, err := os.ReadFile(*ksFile)
	if err != nil {
		return err
	}
	ks := unstructured.Unstructured{}
	if err := yaml.Unmarshal(data, &ks.Object); err != nil {
		return fmt.Errorf("%s: %w", *ksFile, err)
	}
	if ks.GetKind() != "Kustomization" {
		return fmt.Errorf("%s: kind %q, want a Flux Kustomization", *ksFile, ks.GetKind())
	}
	for _, unsupported := range []string{"postBuild", "components", "decryption"} {
		if _, found, _ := unstructured.NestedFieldNoCopy(ks.Object, "spec", unsupported); found {
			return fmt.Errorf("%s: spec.%s is not supported by this test program", *ksFile, unsupported)
		}
	}
	specPath, _, _ := unstructured.NestedString(ks.Object, "spec", "path")
	rootDir, err := filepath.Abs(*root)
	if err != nil {
		return err
	}
	dirPath := filepath.Join(rootDir, filepath.Clean("/"+specPath))

	// As kustomize-controller's generate() and build().
	action, err := kustomize.NewGenerator(rootDir, ks).WriteFile(dirPath)
	if err != nil {
		return fmt.Errorf("generating the kustomization: %w", err)
	}
	resMap, err := kustomize.SecureBuild(rootDir, dirPath, false)
	if err != nil {
		return fmt.Errorf("kustomize build failed: %w", err)
	}
	built, err := resMap.AsYaml()
	if err != nil {
		return err
	}

	restConfig, err := clientcmd.BuildConfigFromFlags("", *kubeconfig)
	if err != nil {
		return err
	}
	kubeClient, err := client.New(restConfig, client.Options{})
	if err != nil {
		return err
	}
	poller := polling.NewStatusPoller(kubeClient, kubeClient.RESTMapper(), polling.Options{})
	manager := ssa.NewResourceManager(kubeClient, poller, ssa.Owner{Field: controllerName, Group: kustomizeGroup})

	// The apply options kustomize-controller sets (controllers/kustomization_controller.go, apply()).
	force, _, _ := unstructured.NestedBool(ks.Object, "spec", "force")
	opts := ssa.DefaultApplyOptions()
	opts.Force = force
	opts.ExclusionSelector = map[string]string{kustomizeGroup + "/reconcile": "disabled", kustomizeGroup + "/ssa": "Ignore"}
	opts.IfNotPresentSelector = map[string]string{kustomizeGroup + "/ssa": "IfNotPresent"}
	opts.WaitTimeout = 60 * time.Second

	report := Report{Generated: action == kustomize.CreatedAction}
	ctx := context.Background()
	for i := 0; i < *reconciles; i++ {
		// Every reconciliation decodes the build afresh, as the controller does.
		objects, err := ssautil.ReadObjects(bytes.NewReader(built))
		if err != nil {
			return err
		}
		report.Objects = len(objects)
		manager.SetOwnerLabels(objects, ks.GetName(), ks.GetNamespace())
		changeSet, err := manager.ApplyAllStaged(ctx, objects, opts)
		if err != nil {
			return fmt.Errorf("reconciliation %d: %w", i+1, err)
		}
		entries := []Entry{}
		for _, e := range changeSet.Entries {
			entries = append(entries, Entry{Subject: e.Subject, Action: e.Action.String()})
		}
		report.Reconciles = append(report.Reconciles, entries)
	}
	out, err := json.MarshalIndent(report, "", "  ")
	if err != nil {
		return err
	}
	fmt.Println(string(out))
	return nil
}

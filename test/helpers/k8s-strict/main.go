// k8s-strict decodes every document of a multi-document YAML stream (stdin)
// into its Kubernetes API type with unknown fields disallowed, so a typo or a
// field in the wrong place fails instead of being dropped by the API server.
// Used by poly's export tests; exits 1 naming the first document that fails.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/yaml"
)

func typed(apiVersion, kind string) (any, error) {
	switch apiVersion + "/" + kind {
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}, nil
	case "apps/v1/StatefulSet":
		return &appsv1.StatefulSet{}, nil
	case "v1/Service":
		return &corev1.Service{}, nil
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}, nil
	case "v1/Secret":
		return &corev1.Secret{}, nil
	case "v1/Namespace":
		return &corev1.Namespace{}, nil
	case "v1/PersistentVolumeClaim":
		return &corev1.PersistentVolumeClaim{}, nil
	}
	return nil, fmt.Errorf("no Go type known for %s %s", apiVersion, kind)
}

func decodeStrict(doc []byte) (string, error) {
	js, err := yaml.YAMLToJSON(doc)
	if err != nil {
		return "", err
	}
	var head struct {
		APIVersion string `json:"apiVersion"`
		Kind       string `json:"kind"`
		Metadata   struct {
			Name string `json:"name"`
		} `json:"metadata"`
	}
	if err := json.Unmarshal(js, &head); err != nil {
		return "", err
	}
	name := head.Kind + "/" + head.Metadata.Name
	obj, err := typed(head.APIVersion, head.Kind)
	if err != nil {
		return name, err
	}
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.DisallowUnknownFields()
	if err := dec.Decode(obj); err != nil {
		return name, err
	}
	return name, nil
}

func main() {
	input, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	count := 0
	for _, doc := range strings.Split("\n"+string(input), "\n---") {
		if strings.TrimSpace(doc) == "" {
			continue
		}
		name, err := decodeStrict([]byte(doc))
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
		fmt.Println(name)
		count++
	}
	if count == 0 {
		fmt.Fprintln(os.Stderr, "no documents on stdin")
		os.Exit(1)
	}
}

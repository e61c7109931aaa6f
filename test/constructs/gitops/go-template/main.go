package main

import (
	"bytes"
	"encoding/json"
	"os"
	"text/template"
)

// Renders Go templates the way the ApplicationSet controller does with goTemplate: true
// (text/template, Option("missingkey=error")). Input: {"params": {...}, "templates": ["..."]} on stdin.
// Output: {"results": ["..."]} or {"error": "..."}.
func main() {
	var in struct {
		Params    map[string]interface{} `json:"params"`
		Templates []string               `json:"templates"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		panic(err)
	}
	out := struct {
		Results []string `json:"results,omitempty"`
		Error   string   `json:"error,omitempty"`
	}{}
	for _, t := range in.Templates {
		tpl, err := template.New("").Option("missingkey=error").Parse(t)
		if err == nil {
			var buf bytes.Buffer
			if err = tpl.Execute(&buf, in.Params); err == nil {
				out.Results = append(out.Results, buf.String())
				continue
			}
		}
		out.Error = err.Error()
		break
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

import { describe, expect, it } from 'vitest';
import { extractDefinitions, extractDefinitionsByRegex, prepareDefinitionParsers } from '../../src/search/definitions.js';
import { extractTreeSitterDefinitions } from '../../src/search/tree-sitter-definitions.js';

const names = (p: string, text: string) => extractDefinitions(p, text).map((d) => `${d.kind}:${d.name}@${d.startLine}-${d.endLine}`);

const A_TS = [
  "import { z } from 'zod';",
  "",
  "export interface Item {",
  "  id: string;",
  "}",
  "export type Id = string;",
  "export enum Color { Red, Green }",
  "export const DEFAULT_LIMIT = 10;",
  "export const makeThing = (a: number): number => a + 1;",
  "",
  "export async function loadConfig(env: Env): Promise<Config> {",
  "  function inner() {",
  "    return 1;",
  "  }",
  "  return parse(env, inner());",
  "}",
  "",
  "export abstract class Store<T> {",
  "  private items = new Map<string, T>();",
  "  onChange = (id: string) => {",
  "    this.items.delete(id);",
  "  };",
  "  abstract flush(): void;",
  "  async getItem(id: string): Promise<T | undefined> {",
  "    return this.items.get(id);",
  "  }",
  "}",
  "",
  "namespace Legacy {",
  "  export function old() {}",
  "}",
  "export default class extends Base {}",
].join('\n');

const B_JS = [
  "const path = require('path');",
  "",
  "function Parser(options) {",
  "  this.options = options;",
  "}",
  "",
  "Parser.prototype.parse = function (input) {",
  "  return input;",
  "};",
  "",
  "exports.helper = (x) => x * 2;",
  "",
  "class Tokenizer {",
  "  #pos = 0;",
  "  next() {",
  "    return this.#pos++;",
  "  }",
  "  static create() {",
  "    return new Tokenizer();",
  "  }",
  "}",
  "",
  "module.exports = { Parser, Tokenizer };",
].join('\n');

const C_PY = [
  "import os",
  "",
  "MAX_RETRIES = 3",
  "debug = False",
  "",
  "",
  "class Session(Base):",
  "    \"\"\"A session.\"\"\"",
  "",
  "    timeout = 5",
  "",
  "    def send(self, req):",
  "        def retry():",
  "            return 1",
  "        return retry()",
  "",
  "    @property",
  "    def closed(self):",
  "        return False",
  "",
  "",
  "async def fetch(url: str) -> bytes:",
  "    return b\"\"",
  "",
  "",
  "@decorator",
  "def wrapped():",
  "    pass",
].join('\n');

const D_GO = [
  "package server",
  "",
  "import \"net/http\"",
  "",
  "type Server struct {",
  "\taddr string",
  "}",
  "",
  "type (",
  "\tHandler interface {",
  "\t\tServe()",
  "\t}",
  "\tID = string",
  ")",
  "",
  "func New(addr string) *Server {",
  "\treturn &Server{addr: addr}",
  "}",
  "",
  "func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {",
  "\tw.WriteHeader(200)",
  "}",
].join('\n');

const E_JAVA = [
  "package com.example;",
  "",
  "import java.util.List;",
  "",
  "public class Account {",
  "    private int balance;",
  "",
  "    public Account(int start) {",
  "        this.balance = start;",
  "    }",
  "",
  "    @Override",
  "    public int balance(String id) {",
  "        return balance;",
  "    }",
  "",
  "    static class Ledger {",
  "        void record() {}",
  "    }",
  "",
  "    interface Listener {",
  "        void changed(int value);",
  "    }",
  "",
  "    enum Kind { SAVINGS, CHECKING }",
  "}",
].join('\n');

const F_RS = [
  "use std::fmt;",
  "",
  "pub const MAX: usize = 10;",
  "",
  "#[derive(Debug)]",
  "pub struct Parser {",
  "    pos: usize,",
  "}",
  "",
  "pub enum Token {",
  "    Word,",
  "}",
  "",
  "pub trait Visit {",
  "    fn visit(&self);",
  "}",
  "",
  "impl Parser {",
  "    pub fn parse(&self) -> u8 {",
  "        1",
  "    }",
  "}",
  "",
  "impl fmt::Display for Parser {",
  "    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {",
  "        Ok(())",
  "    }",
  "}",
  "",
  "mod tests {",
  "    fn helper() {}",
  "}",
  "",
  "macro_rules! square {",
  "    ($x:expr) => { $x * $x };",
  "}",
].join('\n');

const G_RB = [
  "require 'json'",
  "",
  "module Billing",
  "  TAX = 0.2",
  "",
  "  class Invoice < Base",
  "    def total!",
  "      42",
  "    end",
  "",
  "    def self.build(attrs)",
  "      new(attrs)",
  "    end",
  "  end",
  "",
  "  class Reports::Monthly",
  "    def call; end",
  "  end",
  "end",
].join('\n');

const H_TS = [
  "export function good(a: number) {",
  "  return a;",
  "}",
  "",
  "export function broken(a: number {",
  "  return a +;",
  "}",
  "",
  "export class Later {",
  "  run() {",
  "    return 1;",
  "  }",
  "}",
].join('\n');

const I_JS = [
  "// @flow",
  "import type { Node } from './types';",
  "",
  "export function visit(node: Node, state: State): void {",
  "  return;",
  "}",
  "",
  "function helper<T>(x: T): T {",
  "  return x;",
  "}",
  "",
  "export default class Walker {",
  "  walk(): void {}",
  "}",
].join('\n');

describe('tree-sitter definitions', () => {
  it('loads every grammar once and parses each of the six languages', async () => {
    await prepareDefinitionParsers();
    await prepareDefinitionParsers(['again.ts']);
    for (const p of ['a.ts', 'a.tsx', 'a.js', 'a.py', 'a.go', 'A.java', 'a.rs', 'a.rb']) {
      expect(extractTreeSitterDefinitions(p, '')?.definitions, p).toEqual([]);
    }
  });

  it('typescript: interfaces, types, enums, exported consts, arrow functions, nested functions, abstract classes, fields, namespaces', async () => {
    await prepareDefinitionParsers(['a.ts']);
    expect(names('src/a.ts', A_TS)).toEqual([
      'interface:Item@3-5',
      'type:Id@6-6',
      'enum:Color@7-7',
      'const:DEFAULT_LIMIT@8-8',
      'function:makeThing@9-9',
      'function:loadConfig@11-16',
      'function:inner@12-14',
      'class:Store@18-27',
      'method:onChange@20-22',
      'method:flush@23-23',
      'method:getItem@24-26',
      'module:Legacy@29-31',
      'function:old@30-30',
    ]);
  });

  it('tsx files use the tsx grammar', async () => {
    await prepareDefinitionParsers(['a.tsx']);
    const src = ['export function App() {', '  return <div className="x">{items.map((i) => <Row key={i} />)}</div>;', '}', 'const Row = ({ key }: Props) => <span>{key}</span>;'].join('\n');
    expect(names('ui/App.tsx', src)).toEqual(['function:App@1-3', 'function:Row@4-4']);
  });

  it('javascript: constructor functions, prototype and exports assignments, classes with private fields', async () => {
    await prepareDefinitionParsers(['b.js']);
    expect(names('lib/b.js', B_JS)).toEqual(['function:Parser@3-5', 'function:parse@7-9', 'function:helper@11-11', 'class:Tokenizer@13-21', 'method:next@15-17', 'method:create@18-20']);
  });

  it('python: methods (decorated too), nested functions, module constants, async and decorated functions', async () => {
    await prepareDefinitionParsers(['c.py']);
    expect(names('pkg/c.py', C_PY)).toEqual([
      'const:MAX_RETRIES@3-3',
      'class:Session@7-19',
      'method:send@12-15',
      'function:retry@13-14',
      'method:closed@18-19',
      'function:fetch@22-23',
      'function:wrapped@27-28',
    ]);
  });

  it('go: structs, grouped type specs, aliases, functions and methods', async () => {
    await prepareDefinitionParsers(['d.go']);
    expect(names('server/d.go', D_GO)).toEqual(['type:Server@5-7', 'type:Handler@10-12', 'type:ID@13-13', 'function:New@16-18', 'method:ServeHTTP@20-22']);
  });

  it('java: classes, nested classes and interfaces, enums, annotated methods (constructors are not separate symbols)', async () => {
    await prepareDefinitionParsers(['E.java']);
    expect(names('src/main/java/com/example/E.java', E_JAVA)).toEqual([
      'class:Account@5-26',
      'method:balance@12-15',
      'class:Ledger@17-19',
      'method:record@18-18',
      'interface:Listener@21-23',
      'method:changed@22-22',
      'enum:Kind@25-25',
    ]);
  });

  it('rust: consts, structs, enums, traits, impls (trait impls too), methods, modules, macros', async () => {
    await prepareDefinitionParsers(['f.rs']);
    expect(names('src/f.rs', F_RS)).toEqual([
      'const:MAX@3-3',
      'type:Parser@6-8',
      'type:Token@10-12',
      'type:Visit@14-16',
      'method:visit@15-15',
      'impl:Parser@18-22',
      'method:parse@19-21',
      'impl:Parser@24-28',
      'method:fmt@25-27',
      'module:tests@30-32',
      'function:helper@31-31',
      'macro:square@34-36',
    ]);
  });

  it('ruby: modules, constants, classes (scoped names too), instance and singleton methods', async () => {
    await prepareDefinitionParsers(['g.rb']);
    expect(names('lib/g.rb', G_RB)).toEqual(['module:Billing@3-19', 'const:TAX@4-4', 'class:Invoice@6-14', 'method:total!@7-9', 'method:build@11-13', 'class:Monthly@16-18', 'method:call@17-17']);
  });

  it('a file with a syntax error still yields the definitions around it', async () => {
    await prepareDefinitionParsers(['h.ts']);
    expect(extractTreeSitterDefinitions('h.ts', H_TS)?.hadErrors).toBe(true);
    expect(names('src/h.ts', H_TS)).toEqual(['function:good@1-3', 'function:broken@5-7', 'class:Later@9-13', 'method:run@10-12']);
  });

  it('flow-annotated javascript (a dialect the grammar lacks) keeps its functions and classes', async () => {
    await prepareDefinitionParsers(['i.js']);
    // The javascript grammar loses the generic function; the regex pass over the file recovers it.
    const tree = extractTreeSitterDefinitions('src/i.js', I_JS);
    expect(tree?.hadErrors).toBe(true);
    expect(tree?.definitions.map((d) => d.name)).toEqual(['visit', 'Walker', 'walk']);
    expect(names('src/i.js', I_JS)).toEqual(['function:visit@4-6', 'function:helper@8-10', 'class:Walker@12-14', 'method:walk@13-13']);
  });

  it('falls back to the regex rules for languages without a grammar', async () => {
    await prepareDefinitionParsers(['x.php', 'x.c', 'x.kt']);
    const php = '<?php\nclass Cart {\n    public function total() {\n        return 0;\n    }\n}\n';
    expect(extractTreeSitterDefinitions('shop/Cart.php', php)).toBeUndefined();
    expect(names('shop/Cart.php', php)).toEqual(['class:Cart@2-6', 'function:total@3-5']);
    const c = 'static int parse_args(int argc, char **argv) {\n  return 0;\n}\n#define MAX_ARGS 16\n';
    expect(names('src/args.c', c)).toEqual(extractDefinitionsByRegex('src/args.c', c).map((d) => `${d.kind}:${d.name}@${d.startLine}-${d.endLine}`));
    expect(names('src/args.c', c)).toEqual(['function:parse_args@1-3', 'macro:MAX_ARGS@4-4']);
    expect(names('notes.txt', 'def foo():')).toEqual([]);
  });

  it('test files keep the regex rules (cheaper; fixtures are often deliberately broken)', async () => {
    await prepareDefinitionParsers(['lib/b.js']);
    expect(names('lib/b.js', B_JS)).toContain('function:parse@7-9');
    const regex = extractDefinitionsByRegex('test/fixtures/b.js', B_JS).map((d) => `${d.kind}:${d.name}@${d.startLine}-${d.endLine}`);
    expect(regex).not.toContain('function:parse@7-9');
    expect(names('test/fixtures/b.js', B_JS)).toEqual(regex);
    expect(names('lib/b.test.js', B_JS)).toEqual(regex);
  });
});

import { describe, expect, it } from 'vitest';
import { extractDefinitionsByRegex as extractDefinitions } from '../../src/search/definitions.js';

const names = (p: string, text: string) => extractDefinitions(p, text).map((d) => `${d.kind}:${d.name}@${d.startLine}-${d.endLine}`);

describe('definition extraction by regex (the fallback for languages without a grammar)', () => {
  it('python: classes, methods and their extents', () => {
    const src = ['class Session(Base):', '    def send(self, req):', '        return 1', '', '    async def close(self):', '        pass', '', 'MAX_RETRIES = 3', 'def helper():', '    pass', ''].join('\n');
    expect(names('pkg/s.py', src)).toEqual(['class:Session@1-6', 'function:send@2-3', 'function:close@5-6', 'const:MAX_RETRIES@8-8', 'function:helper@9-10']);
  });

  it('typescript: functions, arrow consts, classes, methods, interfaces, types', () => {
    const src = [
      'export async function loadConfig(env: Env): Promise<Config> {',
      '  return parse(env);',
      '}',
      'export const makeThing = (a: number) => a + 1;',
      'export class Store {',
      '  async getItem(id: string): Promise<Item> {',
      '    return this.items[id];',
      '  }',
      '}',
      'export interface Item { id: string }',
      'type Id = string;',
    ].join('\n');
    expect(names('src/a.ts', src)).toEqual([
      'function:loadConfig@1-3',
      'function:makeThing@4-4',
      'class:Store@5-9',
      'method:getItem@6-8',
      'interface:Item@10-10',
      'type:Id@11-11',
    ]);
  });

  it('go, rust, ruby and java', () => {
    expect(names('main.go', 'func (s *Server) ServeHTTP(w http.ResponseWriter) {\n}\ntype Server struct {\n}\n')).toEqual(['function:ServeHTTP@1-2', 'type:Server@3-4']);
    expect(names('lib.rs', 'pub struct Parser {\n}\nimpl Parser {\n    pub fn parse(&self) -> u8 {\n        1\n    }\n}\n')).toEqual(['type:Parser@1-2', 'impl:Parser@3-7', 'function:parse@4-6']);
    expect(names('a.rb', 'module Billing\n  class Invoice\n    def total!\n    end\n  end\nend\n')).toEqual(['class:Billing@1-6', 'class:Invoice@2-5', 'method:total!@3-4']);
    expect(names('A.java', 'public class Account {\n  public int balance(String id) {\n    return 0;\n  }\n}\n')).toEqual(['class:Account@1-5', 'method:balance@2-4']);
  });

  it('ignores languages it does not know', () => {
    expect(extractDefinitions('notes.txt', 'def foo():')).toEqual([]);
  });
});

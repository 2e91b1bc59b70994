// Manual helper: node out/test/dump.js source.simple 'extern fn rt_x() -> i64'
import { dump, tokenize } from './tokenize';
if (require.main === module) {
  void tokenize(process.argv[2], process.argv[3]).then((t) => console.log(dump(t)));
}

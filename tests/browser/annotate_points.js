// Viewport points of the first and last characters of a quote in the article.
(quote) => {
          const root = document.getElementById('article-text');
          const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
          let text = '', nodes = [];
          for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, text.length]); text += n.data; }
          const first = text.indexOf(quote.split('\n')[0]);
          const lastLine = quote.split('\n').pop();
          const last = text.indexOf(lastLine, first) + lastLine.length;
          const at = (i) => { for (let k = nodes.length - 1; k >= 0; k--) if (nodes[k][1] <= i) return [nodes[k][0], i - nodes[k][1]]; };
          const r1 = document.createRange(); const [a, ao] = at(first); r1.setStart(a, ao); r1.setEnd(a, ao + 1);
          const r2 = document.createRange(); const [b, bo] = at(last - 1); r2.setStart(b, bo); r2.setEnd(b, bo + 1);
          const s = r1.getClientRects()[0], e = r2.getClientRects()[0];
          return {x1: s.left + 1, y1: s.top + s.height / 2, x2: e.right - 1, y2: e.top + e.height / 2};
        }

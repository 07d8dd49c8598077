"""Two hundred varied inputs for the parity tests.

Short and long English, other scripts, accents (the BERT normalizer strips them because the model
lowercases), emoji and other characters outside the vocabulary, control and zero-width characters, code,
numbers, and a dozen inputs well past the 256-token limit so that truncation is exercised.
"""

SHORT = [
    "Hi.",
    "ok",
    "Yes!",
    "What time is it?",
    "The cat sat on the mat.",
    "A quick brown fox jumps over the lazy dog.",
    "Rain is expected tomorrow afternoon in most of the valley.",
    "She sold her bicycle and bought a second-hand canoe.",
    "The library closes at nine on weekdays and at six on Saturdays.",
    "Please restart the router before calling support.",
    "Our flight was delayed by three hours because of fog.",
    "He forgot his umbrella on the train again.",
    "Tomatoes grow best with plenty of sun and regular watering.",
    "The committee postponed the vote until next month.",
    "I can't believe it's already December.",
    "Water boils at 100 degrees Celsius at sea level.",
    "The museum's new wing houses a collection of Byzantine coins.",
    "Turn left at the bakery, then take the second right.",
    "My grandmother taught me how to knit when I was seven.",
    "The spacecraft entered orbit around Jupiter after a five-year journey.",
    "Interest rates rose by a quarter of a percentage point.",
    "Don't forget to water the plants while I'm away.",
    "The orchestra tuned their instruments before the overture.",
    "A penguin cannot fly, but it swims remarkably well.",
    "The recipe calls for two cups of flour and a pinch of salt.",
    "Which of these keys opens the basement door?",
    "The software update fixed the battery drain issue.",
    "Volcanic ash grounded hundreds of flights across Europe.",
    "He whispered the answer so the others wouldn't hear.",
    "The bridge was closed for repairs all summer.",
    "Every morning she runs five kilometres along the river.",
    "The judge dismissed the case for lack of evidence.",
    "Mix the paint thoroughly before applying the first coat.",
    "Honeybees communicate the location of flowers by dancing.",
    "The price of coffee beans has doubled since last year.",
    "I left my keys in the pocket of my other jacket.",
    "The children built a snowman with a carrot for a nose.",
    "Scientists discovered a new species of frog in the rainforest.",
    "Thank you for your patience while we resolve this problem.",
    "The train to Edinburgh departs from platform four.",
    "Lightning struck the old oak tree during the storm.",
    "The contract must be signed by both parties before Friday.",
    "Her novel was translated into thirty-two languages.",
    "The dog barked at the mail carrier every single day.",
    "Solar panels convert sunlight directly into electricity.",
    "We watched the sunset from the top of the lighthouse.",
    "The printer on the third floor is out of toner.",
    "Add the onions and fry them until they are golden.",
    "The marathon route passes through six neighbourhoods.",
    "Can you recommend a good book about the history of mathematics?",
    "The glacier has retreated nearly a kilometre in fifty years.",
    "My phone battery died in the middle of the call.",
    "The startup raised twelve million dollars in its first round.",
    "A gentle breeze carried the smell of cut grass.",
    "The referee showed him a yellow card for the late tackle.",
    "Owls can rotate their heads about 270 degrees.",
    "The invoice is attached; payment is due within 30 days.",
    "Nobody expected the underdog to win the championship.",
    "The kettle whistled and steam filled the small kitchen.",
    "Press and hold the power button for ten seconds.",
    "The ancient map showed a sea monster near the coast.",
    "The server returned an unexpected error.",
    "Bananas are berries, but strawberries are not.",
    "How do I reset my password if I no longer have access to my email?",
    "The choir rehearsed the hymn until it sounded perfect.",
    "Traffic was backed up for miles after the accident.",
    "The wool sweater shrank in the hot wash.",
    "Her laugh echoed through the empty hallway.",
    "Machine learning models can inherit biases from their training data.",
    "The village celebrates its harvest festival every October.",
    "He apologised for the misunderstanding and offered a refund.",
    "Sharks have existed for longer than trees.",
    "The telescope revealed thousands of faint galaxies.",
    "Keep the receipt in case you need to return the item.",
    "The cello's low notes filled the concert hall.",
    "An apple a day keeps the doctor away, or so they say.",
    "Their wedding took place in a vineyard in late September.",
    "The toddler refused to wear anything but his dinosaur pyjamas.",
    "Fresh bread is delivered to the café every morning at six.",
    "Embeddings map text to points in a high-dimensional vector space.",
    "Sentence similarity is measured with the cosine of two vectors.",
    "The quick response of the firefighters saved the building.",
    "Is this seat taken?",
    "The hikers reached the summit just before noon.",
    "Please speak more slowly; I'm still learning the language.",
]

SYMBOLS_AND_CODE = [
    "Call me at +1 (555) 010-2938 or email jane.doe@example.com.",
    "Visit https://example.org/docs/v2/getting-started?lang=en#install for details.",
    "def add(a, b):\n    return a + b",
    "SELECT id, name FROM users WHERE created_at > '2024-01-01' ORDER BY id;",
    "for (int i = 0; i < n; ++i) { sum += a[i] * b[i]; }",
    "{\"name\": \"tern\", \"version\": \"0.1.0\", \"tags\": [\"onnx\", \"swift\"]}",
    "The total came to $1,234.56 after a 15% discount.",
    "Version 3.14.159 was released on 2025-03-14 at 09:26:53 UTC.",
    "C'est l'été !!! ???",
    "Error: ENOENT: no such file or directory, open '/tmp/a.txt'",
    "#hashtag @mention <html> &amp; [brackets] {braces} ~tilde~ `backticks`",
    "1 + 1 = 2; 2 × 3 = 6; 10 ÷ 4 = 2.5; √16 = 4; π ≈ 3.14159",
    "----- ===== ***** ///// \\\\\\\\ |||||",
    "Tab\tseparated\tvalues\tin\tone\tline",
    "Line one\nLine two\r\nLine three",
    "Non\u00a0breaking\u00a0spaces\u00a0here",
    "zero\u200bwidth\u200bspace and soft\u00adhyphen",
    "control\u0007 characters\u0001 inside\u001f the text",
    "UPPERCASE WORDS SHOULD BE LOWERCASED BY THE NORMALIZER",
    "MiXeD CaSe TeXt WiTh OdD CaPiTaLiSaTiOn",
    "supercalifragilisticexpialidocious antidisestablishmentarianism",
    "pneumonoultramicroscopicsilicovolcanoconiosis",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "!!!",
    "42",
    "3.141592653589793238462643383279502884197169399375",
    "I ❤️ pizza 🍕 and tacos 🌮!",
    "🚀🚀🚀 launch day 🎉",
    "The temperature was −40 °C, which is also −40 °F.",
    "Ｆｕｌｌｗｉｄｔｈ ｌｅｔｔｅｒｓ ａｎｄ ｄｉｇｉｔｓ １２３",
    "ligatures: ﬁnance, ﬂower, ﬀ",
    "“Smart quotes” and ‘single ones’ — with an em dash… and ellipsis",
]

NON_ENGLISH = [
    "Le chat dort sur le canapé depuis ce matin.",
    "Café, naïve, résumé, façade, coöperate, jalapeño.",
    "Où est la gare la plus proche, s'il vous plaît ?",
    "Der schnelle braune Fuchs springt über den faulen Hund.",
    "Straße, Größe, Übermut und Äpfel sind typisch deutsche Wörter.",
    "Me gustaría reservar una mesa para dos personas a las nueve.",
    "¿Dónde está la biblioteca? ¡Muchas gracias!",
    "A saudade é uma palavra portuguesa difícil de traduzir.",
    "Il tramonto sul lago era di un arancione intenso.",
    "Het regent al de hele week in Amsterdam.",
    "Jag tycker om att läsa böcker på sommaren.",
    "Dziękuję bardzo za pomoc w przeprowadzce.",
    "Čeština má háčky a čárky: ř, š, ž, ě.",
    "Türkçe öğrenmek sabır ister ama çok keyifli.",
    "Kiitos, että tulit käymään eilen illalla.",
    "Съешь же ещё этих мягких французских булок, да выпей чаю.",
    "Москва — столица России.",
    "Καλημέρα! Τι κάνεις σήμερα;",
    "我喜欢在周末去公园散步。",
    "机器学习是人工智能的一个分支。",
    "東京は日本の首都です。",
    "今日はいい天気ですね。散歩に行きましょう。",
    "카페에서 친구를 만나기로 했어요.",
    "مرحبا بكم في المكتبة العامة.",
    "שלום, מה שלומך היום?",
    "नमस्ते, आप कैसे हैं?",
    "สวัสดีครับ ยินดีที่ได้รู้จัก",
    "Tôi thích uống cà phê sữa đá vào buổi sáng.",
    "Habari za asubuhi, rafiki yangu.",
    "Ẓ̌ĺ̈ò combining marks: e\u0301 a\u0308 o\u0302",
    "Mixed: the word 猫 means cat, and кошка does too.",
]

LONG = [
    (
        "The history of the printing press is often told as the story of a single inventor, but the truth is "
        "more tangled. Movable type had been used in East Asia centuries earlier, first with ceramic and later "
        "with metal characters, and paper-making had travelled slowly westward along trade routes. What changed "
        "in fifteenth-century Europe was a combination of factors: an alloy that could be cast precisely and "
        "repeatedly, an oil-based ink that clung to metal, a screw press adapted from those used for wine and "
        "olive oil, and a market of readers hungry for books. Within fifty years, presses had spread to hundreds "
        "of towns, and the number of books in circulation grew from thousands to millions. Scholars argue about "
        "how much of the Reformation, the scientific revolution, and the rise of vernacular literatures can be "
        "credited to print, yet few deny that the cheap reproduction of text altered how ideas moved. Errors, "
        "too, were reproduced at scale: a single mistake in a bible printed in London became infamous because "
        "it omitted one small word from a commandment, and the printers were fined heavily for it. The press "
        "also created new trades, from type founders to booksellers to proofreaders, and new conflicts over who "
        "owned the right to copy a text, questions that courts and parliaments would wrestle with for centuries."
    ),
    (
        "To assemble the bookshelf, first lay out all the panels on a soft surface so that nothing gets "
        "scratched. Check the contents against the parts list: you should have two side panels, four shelves, "
        "one top, one base, a thin back panel, sixteen wooden dowels, twenty-four cam locks, twenty-four cam "
        "bolts, and a small bag of nails. Begin by screwing the cam bolts into the pre-drilled holes on the "
        "inside faces of the side panels, turning them until only the head protrudes. Insert the dowels into "
        "the edges of the base and the top, tapping them gently with a rubber mallet if they resist. Attach the "
        "base to one side panel, then drop the cam locks into their holes with the arrow pointing toward the "
        "bolt, and tighten each one by a half turn clockwise. Repeat for the top. Now add the fixed middle shelf, "
        "which gives the frame its rigidity, and only then attach the second side panel. Measure the diagonals "
        "of the frame; if they are equal, the frame is square. Slide the back panel into its groove, or nail it "
        "to the rear edges every fifteen centimetres. Finally, fit the adjustable shelves on their metal pins, "
        "and secure the bookshelf to the wall with the supplied bracket, because a tall, loaded shelf can tip "
        "over if a child climbs it. Keep the leftover screws; you will wonder where they belonged for years."
    ),
    (
        "Dear members of the residents' association, I am writing to raise several concerns about the proposed "
        "changes to the parking arrangements on our street, which were announced at short notice and with very "
        "little opportunity for discussion. First, the reduction in the number of spaces from forty to twenty-six "
        "will make it almost impossible for households with two cars to park near their homes, particularly in "
        "the evenings. Second, the new permit fees appear to have been set without reference to those charged "
        "in neighbouring districts, which are considerably lower. Third, the plan makes no provision for visitors, "
        "carers, or tradespeople, many of whom need to park for a few hours during the working day. Fourth, the "
        "loading bay outside the pharmacy is to be removed, which will create difficulties for deliveries and for "
        "elderly customers who are dropped off by relatives. I understand that the council wishes to encourage "
        "walking and cycling, and I support that aim, but the proposal as it stands shifts the burden onto "
        "residents without offering any real alternatives, such as secure bicycle storage or a more frequent bus "
        "service. I would ask that the association request a public meeting before the consultation closes, and "
        "that we prepare a joint response setting out these points. I would be glad to help draft it. With thanks "
        "for your time and for all the work the committee does on our behalf, yours sincerely, a long-time resident."
    ),
    (
        "In the deep ocean, below the reach of sunlight, life depends on energy that arrives from elsewhere. "
        "Much of it drifts down as marine snow, a slow rain of dead plankton, faecal pellets, and mucus that can "
        "take weeks to sink a few kilometres. Animals there have adapted in remarkable ways: some have enormous "
        "mouths and expandable stomachs so that they can swallow prey larger than themselves, since meals are "
        "rare; others produce their own light through bioluminescence, using it to lure prey, to find mates, or "
        "to confuse predators with sudden flashes. Near hydrothermal vents, where superheated water rich in "
        "dissolved minerals gushes from the sea floor, entire communities are built on chemosynthesis rather than "
        "photosynthesis. Bacteria oxidise hydrogen sulphide to make organic matter, and tube worms, clams, and "
        "shrimp live in partnership with them. These ecosystems were unknown until the late twentieth century, "
        "and their discovery changed ideas about where life might exist, including beneath the icy crusts of "
        "distant moons. Yet the deep sea is also under pressure from human activity: bottom trawling scrapes "
        "seamounts bare, plastic fragments have been found in the guts of animals in the deepest trenches, and "
        "proposals to mine polymetallic nodules raise questions about damage that could take millennia to heal. "
        "Scientists continue to describe new species on almost every expedition, which is a reminder of how "
        "little of this vast habitat has actually been explored."
    ),
    " ".join(["token"] * 400),
    " ".join(str(n) for n in range(1, 301)),
    " ".join(["The same short sentence is repeated many times to fill the window."] * 30),
    (
        "Un long texte en français pour vérifier la troncature : la ville s'éveillait lentement, les volets "
        "s'ouvraient un à un, et l'odeur du pain chaud se répandait dans les ruelles encore fraîches. Sur la "
        "place, le marchand de journaux disposait ses piles avec une précision d'horloger, tandis que deux "
        "chiens se disputaient un morceau de croissant tombé d'une poche distraite. Plus loin, près de la "
        "fontaine, une vieille dame nourrissait les pigeons en leur parlant comme à de vieux amis, et les "
        "enfants, cartable au dos, couraient vers l'école en se promettant mille aventures pour la récréation. "
        "Le boulanger, les mains blanches de farine, saluait chaque client par son prénom, s'inquiétait d'un "
        "genou douloureux ou d'un neveu parti à l'étranger, et glissait parfois une chouquette supplémentaire "
        "dans le sac des plus petits. À midi, les terrasses se remplissaient, les conversations montaient d'un "
        "ton, et le clocher sonnait les heures avec une régularité que personne ne remarquait plus. Le soir "
        "venu, les lampadaires s'allumaient un à un, et la ville retrouvait son calme, comme si elle reprenait "
        "son souffle avant une nouvelle journée, identique et pourtant jamais tout à fait la même."
    ),
    "长文本测试：" + "这是一个用来测试截断的很长的中文句子，每个汉字都会被单独切分成一个词元。" * 12,
    " ".join(["naïve café résumé"] * 120),
    "x" * 3000,
    (
        "Release notes, version 2.0. Breaking changes: the configuration file format has moved from INI to "
        "TOML, and the old keys are no longer read; run the migration command to convert existing files. The "
        "default port is now 8080 instead of 3000. The deprecated endpoints under /api/v0 have been removed. "
        "New features: request batching with a configurable maximum wait time; per-route rate limits; "
        "structured JSON logs with request identifiers; graceful shutdown that drains in-flight requests; a "
        "health endpoint that reports readiness separately from liveness; metrics exported in the Prometheus "
        "text format, including histograms for queue time and execution time; support for loading models from "
        "a read-only directory; and an option to pin worker threads to specific cores. Fixes: a memory leak "
        "when clients disconnected during a large upload; incorrect content-length headers on compressed "
        "responses; a race in the cache eviction code that could return stale entries; crashes on inputs "
        "containing unpaired surrogates; wrong error codes for oversized bodies; timeouts that were measured "
        "from the start of the connection rather than the start of the request; and a regression in startup "
        "time on machines with many cores. Known issues: the Windows build is not yet available, and "
        "benchmarks on shared virtual machines may vary by as much as twenty percent from run to run."
    ),
]

DOMAIN = [
    "The patient presented with a persistent dry cough and a low-grade fever.",
    "Take one tablet twice daily with food, and do not exceed the stated dose.",
    "The tenant shall give the landlord at least two months' written notice.",
    "This agreement is governed by the laws of the State of New York.",
    "Quarterly revenue beat analyst expectations, sending the shares up 8%.",
    "The central bank kept its benchmark rate unchanged at 4.25 percent.",
    "Mitochondria generate most of the chemical energy needed by the cell.",
    "The enzyme's activity drops sharply above 45 degrees Celsius.",
    "Newton's second law states that force equals mass times acceleration.",
    "A prime number has exactly two distinct positive divisors.",
    "The striker curled the free kick into the top corner in stoppage time.",
    "She finished the 400-metre hurdles in a new national record.",
    "Preheat the oven to 200 °C and line a baking tray with parchment.",
    "Whisk the egg whites until they form stiff peaks.",
    "The kernel panicked after the driver dereferenced a null pointer.",
    "Rotate the API keys every ninety days and store them in a vault.",
    "Garbage collection pauses caused latency spikes at the 99th percentile.",
    "The query planner chose a sequential scan instead of the index.",
    "Shakespeare wrote thirty-seven plays and over one hundred and fifty sonnets.",
    "The Treaty of Westphalia ended the Thirty Years' War in 1648.",
    "The Amazon river carries more water than the next seven largest rivers combined.",
    "Mount Everest grows by a few millimetres each year.",
    "Customer: my order arrived damaged. Agent: I'm sorry, let me arrange a replacement.",
    "Q: Where did you park the car? A: Behind the supermarket, near the recycling bins.",
    "Lol that was sooo funny 😂 cu tmrw",
    "brb, gotta grab coffee",
    "Wir sehen uns morgen um acht Uhr am Bahnhof.",
    "Il pleut des cordes depuis ce matin, alors je reste à la maison.",
    "Ese libro me hizo llorar en el último capítulo.",
    "Я опоздал на автобус и пошёл пешком.",
]


def _medium_sentences() -> list[str]:
    """Mid-length inputs (about 60 to 200 tokens) joined from the short ones, so every length band is covered."""
    joined = []
    for start in range(0, 60, 12):
        joined.append(" ".join(SHORT[start : start + 6 + start // 6]))
    for start in range(0, 30, 10):
        joined.append(" ".join(NON_ENGLISH[start : start + 8]))
    joined.append(" ".join(SYMBOLS_AND_CODE[:10]))
    joined.append(" ".join(SHORT[20:80]))  # about 700 words: long
    return joined


SENTENCES: list[str] = SHORT + DOMAIN + SYMBOLS_AND_CODE + NON_ENGLISH + LONG + _medium_sentences()

/* stopwords.c: the stop words, in strcmp order (instructor file). */
#include "words.h"

const char *const stopwords[NSTOPWORDS] = {
	"a", "about", "above", "after", "again", "against", "all", "also", "although", "always", "am",
	"among", "an", "and", "another", "any", "anyone", "anything", "anyway", "anywhere", "are",
	"around", "as", "at", "away", "back", "be", "became", "because", "become", "becomes", "been",
	"before", "being", "below", "beside", "besides", "between", "beyond", "both", "but", "by", "can",
	"cannot", "could", "did", "do", "does", "doing", "down", "during", "each", "else", "elsewhere",
	"enough", "even", "ever", "every", "everyone", "everything", "everywhere", "except", "few",
	"first", "for", "former", "formerly", "from", "further", "had", "has", "have", "having", "he",
	"her", "here", "hers", "herself", "him", "himself", "his", "how", "however", "i", "if", "in",
	"indeed", "instead", "into", "is", "it", "its", "itself", "just", "last", "latter", "least",
	"less", "many", "may", "me", "meanwhile", "might", "mine", "more", "moreover", "most", "much",
	"must", "my", "myself", "namely", "neither", "never", "nevertheless", "next", "no", "nobody",
	"none", "noone", "nor", "not", "nothing", "now", "nowhere", "of", "off", "often", "on", "once",
	"only", "onto", "or", "other", "otherwise", "ought", "our", "ours", "ourselves", "out", "over",
	"own", "perhaps", "please", "rather", "really", "same", "seem", "seemed", "seeming", "seems",
	"several", "she", "should", "since", "so", "some", "still", "such", "than", "that", "the",
	"their", "theirs", "them", "themselves", "then", "thence", "there", "thereafter", "thereby",
	"therefore", "therein", "thereupon", "these", "they", "this", "those", "though", "through",
	"thus", "to", "together", "too", "toward", "towards", "under", "until", "up", "upon", "us",
	"very", "via", "was", "we", "well", "were", "what", "whatever", "when", "whence", "whenever",
	"where", "whereas", "whereby", "wherein", "whereupon", "wherever", "whether", "which", "while",
	"whither", "who", "whoever", "whole", "whom", "whose", "why", "will", "with", "within", "without",
	"would", "yet", "you", "your", "yours", "yourself", "yourselves",
};
